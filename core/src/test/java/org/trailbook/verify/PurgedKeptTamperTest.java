package org.trailbook.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.checkpoint.CheckpointReader;
import org.trailbook.checkpoint.LogKey;
import org.trailbook.journal.Entry;
import org.trailbook.journal.FileJournal;

/**
 * A kept entry removed together with its place in the purge state (the kept list of {@code purges.json} edited, so the
 * next open drops the entry as purged) is found: the purges' counts and the kept entries no longer add up to the horizon.
 */
class PurgedKeptTamperTest {
  @TempDir Path dir;

  @Test
  void aKeptEntryDroppedFromThePurgeStateIsFound() throws Exception {
    LogKey key = LogKey.generate("test.example");
    List<CheckpointReader.Stored> checkpoints = new ArrayList<>();
    Path jdir = dir.resolve("journal");
    try (FileJournal journal = FileJournal.open(jdir)) {
      PurgedLogFixture.appendSignAndPurge(journal, key, checkpoints);
      assertThat(journal.read("acme", 0, 15)).extracting(Entry::seq).containsExactly(3L);
    }
    try (FileJournal journal = FileJournal.open(jdir)) {
      assertThat(check(journal, jdir, checkpoints, key).ok()).as("the purged log as the purge left it").isTrue();
    }
    Path manifest = jdir.resolve("purges.json");
    String text = Files.readString(manifest);
    assertThat(text).contains("\"kept\":[3]");
    Files.writeString(manifest, text.replace("\"kept\":[3]", "\"kept\":[]"));
    try (FileJournal journal = FileJournal.open(jdir)) {
      assertThat(journal.read("acme", 0, 15)).isEmpty(); // the kept entry is gone
      Verdict v = check(journal, jdir, checkpoints, key);
      assertThat(v.ok()).isFalse();
      assertThat(v.line()).contains("the purges removed 14 entries and 0 are kept below seq 15").contains("a kept entry was removed");
    }
  }

  private static Verdict check(FileJournal journal, Path jdir, List<CheckpointReader.Stored> checkpoints, LogKey key) {
    Iterator<CheckpointReader.Stored> it = checkpoints.iterator();
    PurgedLogChecker c = new PurgedLogChecker(new LogChecker("acme", key.verifier(), () -> it.hasNext() ? it.next() : null), PurgedPrefix.read(jdir).get("acme"));
    for (Entry e : journal.read("acme", 0, 30)) c.accept(e.seq(), e.canonical());
    return c.finish(null);
  }
}
