package org.trailbook.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.trailbook.Json;
import org.trailbook.Times;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.CheckpointReader;
import org.trailbook.checkpoint.LogKey;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EntryEncoder;
import org.trailbook.journal.FileJournal;
import org.trailbook.journal.PendingEntry;
import org.trailbook.merkle.MerkleRoots;
import org.trailbook.merkle.TreeHasher;

/** The purged log the verify tests start from: 30 entries of {@code acme}, a checkpoint every 10, seqs below 15 purged but 3. */
final class PurgedLogFixture {
  private PurgedLogFixture() {}

  /** Appends the entries, signs the checkpoints into {@code checkpoints} with {@code key}, then purges. */
  static void appendSignAndPurge(FileJournal journal, LogKey key, List<CheckpointReader.Stored> checkpoints) throws Exception {
    List<PendingEntry> batch = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      batch.add(EntryEncoder.prepare("acme", Times.format(0), Json.MAPPER.createObjectNode().put("id", UUID.randomUUID().toString()).put("action", "x.y")));
    }
    journal.append("acme", batch).get();
    MerkleRoots roots = new MerkleRoots();
    TreeHasher hasher = new TreeHasher();
    for (Entry e : journal.read("acme", 0, 30)) {
      roots.append(hasher.leafHash(e.canonical()));
      if (roots.size() % 10 == 0) checkpoints.add(new CheckpointReader.Stored(roots.size(), key.sign(new Checkpoint("test.example/acme", roots.size(), roots.root()))));
    }
    journal.purge("acme", 15, new long[] {3}, "test");
  }
}
