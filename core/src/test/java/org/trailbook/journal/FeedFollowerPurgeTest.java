package org.trailbook.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Times;
import org.trailbook.Json;

/**
 * A consumer behind a purge horizon (a new node, a rebuilt tree or index): the follower hands over the runs of entries
 * the log still holds and the purged seqs between them as purged ranges, in seq order, each seq exactly once.
 */
class FeedFollowerPurgeTest {
  @TempDir Path dir;

  @Test
  void purgedSeqsBelowTheHorizonAreHandedOverAsPurgedRangesBetweenTheRuns() throws Exception {
    try (FileJournal journal = FileJournal.open(dir.resolve("journal"))) {
      append(journal, "acme", 50);
      journal.purge("acme", 30, new long[] {3, 4, 17}, "test");
      append(journal, "acme", 5);

      List<String> seen = new ArrayList<>();
      long[] position = {0};
      FeedFollower follower = new FeedFollower(journal, new FeedFollower.Consumer() {
        @Override
        public long position(String workspace) {
          return position[0];
        }

        @Override
        public void accept(String workspace, List<Entry> entries) {
          for (Entry e : entries) assertThat(e.seq()).isEqualTo(position[0]++);
          seen.add("entries " + entries.getFirst().seq() + ".." + entries.getLast().seq());
        }

        @Override
        public void purged(String workspace, long from, long to) {
          assertThat(from).isEqualTo(position[0]);
          position[0] = to;
          seen.add("purged " + from + ".." + (to - 1));
        }
      }, 10);
      follower.step(Duration.ZERO);
      assertThat(position[0]).isEqualTo(55);
      assertThat(seen).containsExactly("purged 0..2", "entries 3..4", "purged 5..9", "purged 10..16", "entries 17..17", "purged 18..19",
          "purged 20..29", "entries 30..39", "entries 40..49", "entries 50..54");
    }
  }

  private static void append(FileJournal journal, String ws, int n) throws ExecutionException, InterruptedException {
    List<PendingEntry> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(EntryEncoder.prepare(ws, Times.format(0), Json.MAPPER.createObjectNode().put("id", java.util.UUID.randomUUID().toString())
          .put("action", "x.y")));
    }
    journal.append(ws, batch).get();
  }
}
