package org.trailbook.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal tells its observer about every group commit that wrote something, once per group, off the ack path. */
class GroupCommitObserverTest {
  @TempDir Path dir;

  private record Group(int entries, long bytes, long fsyncNanos) {}

  private static Group next(LinkedBlockingQueue<Group> groups) throws InterruptedException {
    Group g = groups.poll(10, TimeUnit.SECONDS);
    assertThat(g).as("a group commit was observed").isNotNull();
    return g;
  }

  @Test
  void reportsEntriesBytesAndFsyncOfEveryGroupThatWroteAndNothingForDuplicates() throws Exception {
    LinkedBlockingQueue<Group> groups = new LinkedBlockingQueue<>();
    try (FileJournal j = FileJournal.open(dir)) {
      j.observe((entries, bytes, fsyncNanos) -> groups.add(new Group(entries, bytes, fsyncNanos)));
      j.append("ws-a", EventStoreContract.batch("ws-a", "a", 3)).join();
      Group first = next(groups);
      j.append("ws-b", EventStoreContract.batch("ws-b", "b", 2)).join();
      Group second = next(groups);
      assertThat(List.of(first.entries(), second.entries())).containsExactly(3, 2);
      assertThat(first.fsyncNanos()).isPositive();
      // the bytes reported are exactly what the groups added to the segment, after its file header
      assertThat(first.bytes() + second.bytes()).isEqualTo(Files.size(dir.resolve(FileJournal.segmentName(0))) - JournalFormat.FILE.headerLength());

      // a batch of duplicates writes nothing: no group is observed for it, so the next observation is the next write
      j.append("ws-a", EventStoreContract.batch("ws-a", "a", 3)).join();
      j.append("ws-a", EventStoreContract.batch("ws-a", "c", 1)).join();
      assertThat(next(groups).entries()).isEqualTo(1);
    }
  }

  @Test
  void pendingEventsCountWhatTheWriterHasNotFinishedAndAFailingObserverStopsNothing() throws Exception {
    CountDownLatch inObserver = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (FileJournal j = FileJournal.open(dir)) {
      j.observe((entries, bytes, fsyncNanos) -> {
        inObserver.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("a broken metrics hook");
      });
      // the observer runs after the answer: the append completes although the observer holds the writer
      assertThat(j.append("ws-a", EventStoreContract.batch("ws-a", "a", 3)).get(10, TimeUnit.SECONDS)).hasSize(3);
      assertThat(inObserver.await(10, TimeUnit.SECONDS)).isTrue();
      var queued = j.append("ws-a", EventStoreContract.batch("ws-a", "b", 2));
      // the held group's 3 are released only when the writer is done with it; the 2 wait behind it
      assertThat(j.pendingEvents()).isEqualTo(5);
      release.countDown();
      j.observe(GroupCommitObserver.NONE);
      assertThat(queued.get(10, TimeUnit.SECONDS)).extracting(AppendResult::seq).containsExactly(3L, 4L);
      assertThat(j.acceptsWrites()).isTrue();
      assertThat(j.health().failure()).isNull();
    }
  }
}
