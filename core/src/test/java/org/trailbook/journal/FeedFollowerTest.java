package org.trailbook.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feed follower against the embedded journal: chunks, restarts from persisted positions, failures, lag. */
class FeedFollowerTest {
  @TempDir Path dir;

  /** A consumer that records every entry handed to it and keeps its positions in a map (its "persisted" state). */
  private static class Recorder implements FeedFollower.Consumer {
    final Map<String, Long> positions = new ConcurrentHashMap<>();
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> chunkSizes = Collections.synchronizedList(new ArrayList<>());

    Recorder() {}

    Recorder(Map<String, Long> persisted) {
      positions.putAll(persisted);
    }

    @Override
    public long position(String workspace) {
      return positions.getOrDefault(workspace, 0L);
    }

    @Override
    public void accept(String workspace, List<Entry> entries) throws Exception {
      chunkSizes.add(entries.size());
      for (Entry e : entries) {
        assertThat(e.seq()).as("in seq order, from the position on").isEqualTo(position(workspace));
        seen.add(workspace + "/" + e.id());
        positions.put(workspace, e.seq() + 1);
      }
    }
  }

  private static void append(EventStore s, String ws, String prefix, int n) {
    s.append(ws, EventStoreContract.batch(ws, prefix, n)).join();
  }

  private static List<String> everything(EventStore s) {
    List<String> all = new ArrayList<>();
    for (String ws : s.workspaces()) for (Entry e : s.read(ws, 0, s.size(ws))) all.add(ws + "/" + e.id());
    return all;
  }

  @Test
  void handsOverEveryEntryOnceInSeqOrderInBoundedChunks() throws Exception {
    try (FileJournal j = FileJournal.open(dir)) {
      append(j, "ws-a", "a", 7);
      append(j, "ws-b", "b", 2);
      Recorder r = new Recorder();
      FeedFollower f = new FeedFollower(j, r, 3);
      assertThat(f.deliver()).isEqualTo(9);
      append(j, "ws-a", "c", 4);
      assertThat(f.deliver()).isEqualTo(4);
      assertThat(f.deliver()).as("nothing new: nothing handed over").isZero();
      assertThat(r.seen).containsExactlyInAnyOrderElementsOf(everything(j)).doesNotHaveDuplicates();
      assertThat(r.chunkSizes).allMatch(n -> n >= 1 && n <= 3);
    }
  }

  @Test
  void aConsumerThatRestartsFromItsPersistedPositionsSeesNothingTwiceAndMissesNothing() throws Exception {
    Map<String, Long> persisted;
    List<String> seenBefore;
    try (FileJournal j = FileJournal.open(dir)) {
      append(j, "ws-a", "a", 5);
      append(j, "ws-b", "b", 3);
      Recorder r = new Recorder();
      new FeedFollower(j, r, 2).deliver();
      append(j, "ws-a", "late", 4); // committed, but the consumer stops before it follows them
      persisted = new HashMap<>(r.positions);
      seenBefore = List.copyOf(r.seen);
    }
    try (FileJournal j = FileJournal.open(dir)) { // a new run of the journal: the follower's cursor means nothing
      append(j, "ws-c", "c", 2);
      Recorder r = new Recorder(persisted);
      new FeedFollower(j, r, 2).deliver();
      List<String> all = new ArrayList<>(seenBefore);
      all.addAll(r.seen);
      assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(everything(j));
      assertThat(r.seen).contains("ws-a/late0", "ws-a/late3", "ws-c/c0").noneMatch(seenBefore::contains);
    }
  }

  @Test
  void aStepCutShortByAFailureIsRedoneFromTheConsumersPositions() throws Exception {
    try (FileJournal j = FileJournal.open(dir)) {
      append(j, "ws-a", "a", 6);
      append(j, "ws-b", "b", 6);
      int[] calls = {0};
      Recorder r = new Recorder() {
        @Override
        public void accept(String workspace, List<Entry> entries) throws Exception {
          if (++calls[0] == 3) throw new IllegalStateException("simulated: the consumer's store failed");
          super.accept(workspace, entries);
        }
      };
      FeedFollower f = new FeedFollower(j, r, 2);
      assertThatThrownBy(f::deliver).hasMessageContaining("simulated");
      f.deliver(); // the same cursor again: ws-a from seq 4, then ws-b
      assertThat(r.seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(everything(j));
    }
  }

  @Test
  void aConsumerThatLagsBehindManyGroupsCatchesUp() throws Exception {
    try (FileJournal j = FileJournal.open(dir)) {
      append(j, "ws-a", "first", 1);
      CountDownLatch slow = new CountDownLatch(1);
      CountDownLatch inside = new CountDownLatch(1);
      Recorder r = new Recorder() {
        @Override
        public void accept(String workspace, List<Entry> entries) throws Exception {
          inside.countDown();
          assertThat(slow.await(30, TimeUnit.SECONDS)).isTrue(); // a slow callback: the writers go on meanwhile
          super.accept(workspace, entries);
        }
      };
      FeedFollower f = new FeedFollower(j, r, 50);
      ExecutorService follower = Executors.newSingleThreadExecutor();
      Future<?> following = follower.submit(() -> {
        while (!Thread.currentThread().isInterrupted() && r.seen.size() < 1 + 3 * 200 * 5) f.step(Duration.ofMillis(50));
        return null;
      });
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
      ExecutorService writers = Executors.newFixedThreadPool(3);
      List<Future<?>> sent = new ArrayList<>();
      for (String ws : List.of("ws-a", "ws-b", "ws-c")) {
        sent.add(writers.submit(() -> {
          for (int g = 0; g < 200; g++) append(j, ws, "g" + g + "-", 5); // many groups while the consumer is stuck
        }));
      }
      for (Future<?> s : sent) s.get(60, TimeUnit.SECONDS);
      writers.shutdown();
      slow.countDown();
      following.get(60, TimeUnit.SECONDS); // ends once it has seen every entry: it caught up
      follower.shutdown();
      assertThat(r.seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(everything(j));
      assertThat(r.positions).containsEntry("ws-a", 1001L).containsEntry("ws-b", 1000L).containsEntry("ws-c", 1000L);
    }
  }

  @Test
  void awaitReturnsOnceAnotherThreadCommitsAndStopEndsTheFollowing() throws Exception {
    try (FileJournal j = FileJournal.open(dir)) {
      Recorder r = new Recorder();
      FeedFollower f = new FeedFollower(j, r);
      assertThat(f.deliver()).isZero();
      Thread writer = Thread.ofPlatform().start(() -> append(j, "ws-a", "a", 1));
      assertThat(f.await(Duration.ofSeconds(10))).isTrue();
      writer.join();
      assertThat(f.deliver()).isEqualTo(1);
      f.stop();
      append(j, "ws-a", "b", 1);
      assertThat(f.deliver()).as("a stopped follower hands nothing over").isZero();
      assertThat(f.await(Duration.ofSeconds(10))).isFalse();
    }
  }
}
