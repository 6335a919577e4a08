package org.trailbook.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.checkpoint.CheckpointReader;
import org.trailbook.checkpoint.LogKey;
import org.trailbook.journal.Entry;
import org.trailbook.journal.FileJournal;

/**
 * A purged log checks out from its retained entries and the leaf hashes the purge kept, against checkpoints signed
 * before the purge; an altered purged leaf or a missing kept entry is found.
 */
class PurgedLogCheckerTest {
  @TempDir Path dir;
  FileJournal journal;
  LogKey key = LogKey.generate("test.example");
  List<CheckpointReader.Stored> checkpoints = new ArrayList<>();

  @BeforeEach
  void purgedLog() throws Exception {
    journal = FileJournal.open(dir.resolve("journal"));
    PurgedLogFixture.appendSignAndPurge(journal, key, checkpoints);
  }

  @AfterEach
  void close() {
    journal.close();
  }

  private Verdict check(PurgedPrefix prefix, long skip) {
    Iterator<CheckpointReader.Stored> it = checkpoints.iterator();
    PurgedLogChecker c = new PurgedLogChecker(new LogChecker("acme", key.verifier(), () -> it.hasNext() ? it.next() : null), prefix);
    for (Entry e : journal.read("acme", 0, 30)) if (e.seq() != skip) c.accept(e.seq(), e.canonical());
    return c.finish(null);
  }

  @Test
  void aPurgedLogVerifiesAgainstCheckpointsSignedBeforeThePurge() {
    assertThat(journal.read("acme", 0, 15)).hasSize(1);
    Verdict v = check(PurgedPrefix.of(journal, "acme"), -1);
    assertThat(v.ok()).as(v.line()).isTrue();
    assertThat(v.checkpointsVerified()).isEqualTo(3);
    assertThat(v.treeSize()).isEqualTo(30);
  }

  @Test
  void anAlteredPurgedLeafIsFound() {
    PurgedPrefix real = PurgedPrefix.of(journal, "acme");
    PurgedPrefix altered = new PurgedPrefix(real.horizon(), real.kept(), real.purges(), (from, to) -> {
      byte[] leaves = real.leaves().read(from, to);
      if (from <= 7 && 7 < to) leaves[(int) (7 - from) * 32] ^= 1;
      return leaves;
    });
    Verdict v = check(altered, -1);
    assertThat(v.ok()).isFalse();
    assertThat(v.line()).contains("signed checkpoint of size 10");
  }

  @Test
  void aMissingKeptEntryIsFound() {
    Verdict v = check(PurgedPrefix.of(journal, "acme"), 3);
    assertThat(v.ok()).isFalse();
    assertThat(v.line()).contains("seq 3 is missing");
  }
}
