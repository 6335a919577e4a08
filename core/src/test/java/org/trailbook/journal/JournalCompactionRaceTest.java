package org.trailbook.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.journal.EventStoreContract.batch;
import static org.trailbook.journal.EventStoreContract.pending;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.merkle.TreeHasher;

/** Readers, the writer, purges and the background compaction at once: no reader ever sees a wrong, torn or lost entry. */
class JournalCompactionRaceTest {
  static final String WS = EventStorePurgeContract.WS;

  @TempDir Path dir;
  private FileJournal journal;

  /** Small segments (16 KiB), so a log spreads over many of them. */
  private FileJournal openSmall() {
    journal = FileJournal.open(dir, new FileJournal.Options(16 << 10, 10_000, 20_000));
    return journal;
  }

  @AfterEach
  void close() {
    if (journal != null) journal.close();
  }

  @Test
  void readersRacingPurgesAndCompactionsNeverSeeAWrongOrTornEntry() throws Exception {
    FileJournal j = openSmall();
    JournalFiles.fill(j, WS, "a", 600);
    JournalFiles.fill(j, "ws-b", "b", 300);
    Map<String, byte[]> expected = new HashMap<>();
    for (Entry e : j.read(WS, 0, 600)) expected.put(WS + "/" + e.seq(), e.canonical());
    for (Entry e : j.read("ws-b", 0, 300)) expected.put("ws-b/" + e.seq(), e.canonical());
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong horizon = new AtomicLong(); // entries of WS at or above it are never purged by a later step
    AtomicLong reads = new AtomicLong();
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      int seed = t;
      readers.add(Thread.ofPlatform().start(() -> {
        Random random = new Random(seed);
        while (running.get()) {
          try {
            long h = horizon.get();
            long from = h + random.nextInt((int) (600 - h));
            for (Entry e : j.read(WS, from, Math.min(600, from + 20))) {
              if (e.seq() < from || !Arrays.equals(e.canonical(), expected.get(WS + "/" + e.seq()))) problems.add("read " + WS + "/" + e.seq());
            }
            if (j.read(WS, from, from + 1).isEmpty() && from >= horizon.get()) problems.add("lost " + WS + "/" + from);
            int b = random.nextInt(300);
            Entry eb = j.findById("ws-b", "b" + (b / 5 * 5) + "-" + (b % 5)).orElse(null);
            if (eb == null || !Arrays.equals(eb.canonical(), expected.get("ws-b/" + eb.seq()))) problems.add("findById ws-b " + b);
            reads.incrementAndGet();
          } catch (RuntimeException e) {
            problems.add(e.toString());
          }
        }
      }));
    }
    Thread appender = Thread.ofPlatform().start(() -> { // the writer appends to the purged workspace meanwhile
      for (int b = 0; running.get(); b++) {
        try {
          j.append(WS, batch(WS, "w" + b + "-", 3)).join();
        } catch (RuntimeException e) {
          problems.add("append: " + e);
        }
      }
    });
    for (long to = 50; to <= 550; to += 50) {
      long h = to;
      horizon.set(h); // before the purge: a reader finding an entry at or above it gone has lost it
      j.purge(WS, h, new long[0], "step");
      j.append("ws-b", List.of(pending("ws-b", "x" + h, "x.y"))).join(); // the writer goes on too
    }
    long target = reads.get() + 200;
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (reads.get() < target && System.nanoTime() < deadline) Thread.onSpinWait();
    running.set(false);
    for (Thread r : readers) r.join();
    appender.join();
    assertThat(problems).isEmpty();
    // the entries appended during the purges chain on from the last original one
    List<Entry> tail = j.read(WS, 599, j.size(WS));
    assertThat(tail.size()).isEqualTo(j.size(WS) - 599).isGreaterThan(1);
    TreeHasher hasher = new TreeHasher();
    for (int i = 1; i < tail.size(); i++) {
      assertThat(tail.get(i).json().get("prev_hash").asString()).isEqualTo(hasher.leafHash(tail.get(i - 1).canonical()).hex());
    }
    assertThat(reads.get()).isGreaterThanOrEqualTo(target);
    assertThat(j.read(WS, 0, 600)).extracting(Entry::seq).first().isEqualTo(550L);
  }

  /**
   * A reader that took an entry's position just before a compaction moved it, and its segment's
   * channel just after, reads again instead of returning (or failing on) the bytes at the old offset.
   */
  @Test
  void aReaderCaughtBetweenPositionAndChannelByACompactionReadsAgain() throws Exception {
    FileJournal j = openSmall();
    for (int i = 0; i < 60; i++) {
      j.append(WS, batch(WS, "a" + i + "-", 5)).join();
      j.append("ws-b", batch("ws-b", "b" + i + "-", 1)).join(); // ws-b's entries sit between WS's in every segment
    }
    Entry expected = j.read("ws-b", 0, 1).getFirst();
    CountDownLatch paused = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    Thread[] reader = new Thread[1];
    AtomicBoolean once = new AtomicBoolean();
    j.segmentFiles().betweenPositionAndChannel = () -> {
      if (Thread.currentThread() != reader[0] || !once.compareAndSet(false, true)) return;
      paused.countDown();
      try {
        resume.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    };
    CompletableFuture<List<Entry>> read = new CompletableFuture<>();
    reader[0] = Thread.ofPlatform().unstarted(() -> {
      try {
        read.complete(j.read("ws-b", 0, 1));
      } catch (Throwable t) {
        read.completeExceptionally(t);
      }
    });
    reader[0].start();
    assertThat(paused.await(30, TimeUnit.SECONDS)).isTrue();
    long sizeBefore = Files.size(dir.resolve(FileJournal.segmentName(0)));
    j.purge(WS, 150, new long[0], "move ws-b's frames");
    JournalFiles.awaitCompacted(j); // segment 0 compacted under the paused reader
    assertThat(Files.size(dir.resolve(FileJournal.segmentName(0)))).isLessThan(sizeBefore);
    resume.countDown();
    List<Entry> got = read.get(30, TimeUnit.SECONDS);
    assertThat(got).hasSize(1);
    assertThat(got.getFirst().canonical()).isEqualTo(expected.canonical());
    j.segmentFiles().betweenPositionAndChannel = null;
  }
}
