package org.trailbook.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.journal.EventStoreContract.batch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The background compaction: purges only mark segments and never wait for a rewrite, a burst of purges of several
 * workspaces rewrites each sealed segment once, and a purge that commits while a segment is being rewritten leaves
 * nothing wrong behind: its frames go at the next rewrite and every read stays right.
 */
class JournalCompactorTest {
  private static final long SEGMENT_BYTES = 16 << 10;
  private static final List<String> WORKSPACES = List.of("ws-a", "ws-b", "ws-c", "ws-d", "ws-e");

  @TempDir Path dir;
  private final List<FileJournal> open = new ArrayList<>();

  @AfterEach
  void closeAll() {
    open.forEach(FileJournal::close);
  }

  private FileJournal openSmall() {
    FileJournal j = FileJournal.open(dir, new FileJournal.Options(SEGMENT_BYTES, 10_000, 20_000));
    open.add(j);
    return j;
  }

  /** 100 entries in each workspace, interleaved, so every sealed segment holds frames of each. */
  private static void fillInterleaved(FileJournal j) {
    for (int round = 0; round < 20; round++) {
      for (String ws : WORKSPACES) JournalFiles.fill(j, ws, ws + "-" + round + "-", 5);
    }
  }

  /** Holds the compactor's first rewrite before its swap until {@link #release}. */
  private static final class Hold implements Runnable {
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean once = new AtomicBoolean();

    @Override
    public void run() {
      if (!once.compareAndSet(false, true)) return;
      reached.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Purges ws-a below {@code toSeq} and waits until the compactor's first rewrite is done and held before its swap. */
  private static Hold purgeAndHoldTheFirstRewrite(FileJournal j, long toSeq, String reason) throws InterruptedException {
    Hold hold = new Hold();
    j.compactor().beforeSwap = hold;
    j.purge("ws-a", toSeq, new long[0], reason);
    assertThat(hold.reached.await(30, TimeUnit.SECONDS)).as("the first rewrite reached its swap").isTrue();
    return hold;
  }

  @Test
  void aBurstOfPurgesRewritesEachSealedSegmentOnceAndNoPurgeWaitsForARewrite() throws Exception {
    FileJournal j = openSmall();
    fillInterleaved(j);
    Hold hold = purgeAndHoldTheFirstRewrite(j, 80, "first"); // the first rewrite is done and held before its swap
    // the other purges commit while that rewrite is held: none waits for it
    CompletableFuture<Void> others = CompletableFuture.runAsync(() -> {
      for (String ws : WORKSPACES.subList(1, WORKSPACES.size())) j.purge(ws, 80, new long[] {7}, "burst");
    });
    others.get(30, TimeUnit.SECONDS);
    // the sealed segments holding purged frames, the held one among them (marked again by the burst), and the held rewrite
    int pending = j.compactionPending();
    assertThat(pending).isGreaterThan(3);
    hold.release.countDown();
    JournalFiles.awaitCompacted(j);
    // each of those segments once, and the held one a second time for the frames the later purges removed from it
    assertThat(j.compactor().rewrites()).isEqualTo(pending);
    assertOnlyRetainedFramesRemain();
  }

  @Test
  void aPurgeCommittedDuringARewriteLeavesReadsRightAndItsFramesGoAtTheNextRewrite() throws Exception {
    FileJournal j = openSmall();
    fillInterleaved(j);
    Map<String, byte[]> before = JournalFiles.rawFrames(dir);
    List<Entry> originalB = j.read("ws-b", 0, 100);
    Hold hold = purgeAndHoldTheFirstRewrite(j, 80, "first");
    // the held rewrite kept ws-b's frames; this purge removes most of them before the swap moves them
    CompletableFuture.runAsync(() -> j.purge("ws-b", 60, new long[] {3, 41}, "during")).get(30, TimeUnit.SECONDS);
    List<Entry> duringHold = j.read("ws-b", 0, 100);
    hold.release.countDown();
    JournalFiles.awaitCompacted(j);
    for (List<Entry> read : List.of(duringHold, j.read("ws-b", 0, 100))) {
      assertThat(read).extracting(Entry::seq).startsWith(3L, 41L, 60L).hasSize(42);
      for (Entry e : read) assertThat(e.canonical()).isEqualTo(originalB.get((int) e.seq()).canonical());
    }
    Map<String, byte[]> after = JournalFiles.rawFrames(dir);
    assertThat(after.keySet()).noneMatch(k -> k.startsWith("ws-a/") && seq(k) < 80);
    assertThat(after.keySet()).noneMatch(k -> k.startsWith("ws-b/") && seq(k) < 60 && seq(k) != 3 && seq(k) != 41);
    for (var e : after.entrySet()) assertThat(e.getValue()).as(e.getKey()).isEqualTo(before.get(e.getKey()));
    assertThat(j.read("ws-c", 0, 100)).hasSize(100);
  }

  @Test
  void aCompactionCutShortByCloseIsFinishedAfterTheNextOpen() throws Exception {
    FileJournal j = openSmall();
    fillInterleaved(j);
    Hold hold = purgeAndHoldTheFirstRewrite(j, 100, "all of ws-a");
    open.remove(j);
    CompletableFuture<Void> closed = CompletableFuture.runAsync(j::close);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!j.compactor().stopping()) { // close stops the compactor first, then waits for the writer and for the held segment
      assertThat(System.nanoTime()).as("close stopped the compactor").isLessThan(deadline);
      Thread.onSpinWait();
    }
    hold.release.countDown();
    closed.get(30, TimeUnit.SECONDS); // the segment in progress is swapped in, the rest waits for the next open
    assertThat(JournalFiles.rawFrames(dir).keySet()).anyMatch(k -> k.startsWith("ws-a/"));
    FileJournal again = openSmall();
    JournalFiles.awaitCompacted(again);
    assertThat(JournalFiles.rawFrames(dir).keySet()).noneMatch(k -> k.startsWith("ws-a/"));
    assertThat(again.read("ws-a", 0, 100)).isEmpty();
    assertThat(again.read("ws-e", 0, 100)).hasSize(100);
  }

  @Test
  void aPurgeLeavingFramesInTheActiveSegmentHasItSealedAtTheNextWriteAndCompacted() throws Exception {
    FileJournal j = FileJournal.open(dir, new FileJournal.Options(1 << 20, 10_000, 20_000)); // one segment holds all of it
    open.add(j);
    fillInterleaved(j);
    assertThat(dir.resolve(FileJournal.segmentName(1))).doesNotExist();
    j.purge("ws-a", 100, new long[0], "all of ws-a");
    assertThat(j.compactionPending()).as("the active segment is never rewritten").isZero();
    JournalFiles.fill(j, "ws-b", "after-", 1); // the writer seals segment 0 before this group
    assertThat(dir.resolve(FileJournal.segmentName(1))).exists();
    JournalFiles.awaitCompacted(j);
    assertThat(JournalFiles.headerVersion(dir.resolve(FileJournal.segmentName(0)))).isEqualTo(JournalFormat.COMPACTED);
    assertThat(JournalFiles.rawFrames(dir).keySet()).noneMatch(k -> k.startsWith("ws-a/")).contains("ws-b/100", "ws-e/99");
    assertThat(j.read("ws-b", 0, 101)).hasSize(101);
  }

  @Test
  void aSmallActiveSegmentIsNotSealedEarly() throws Exception {
    FileJournal j = FileJournal.open(dir, new FileJournal.Options(64 << 20, 10_000, 20_000)); // 1/16 of it is more than the log
    open.add(j);
    fillInterleaved(j);
    j.purge("ws-a", 100, new long[0], "all of ws-a");
    JournalFiles.fill(j, "ws-b", "after-", 1);
    assertThat(dir.resolve(FileJournal.segmentName(1))).doesNotExist();
  }

  private void assertOnlyRetainedFramesRemain() throws Exception {
    for (String key : JournalFiles.rawFrames(dir).keySet()) {
      long seq = seq(key);
      boolean retained = key.startsWith("ws-a/") ? seq >= 80 : seq >= 80 || seq == 7;
      assertThat(retained).as("frame %s is retained", key).isTrue();
    }
  }

  private static long seq(String key) {
    return Long.parseLong(key.substring(key.indexOf('/') + 1));
  }

  /** Rewrites pause while the writer writes (a tenth of a core then), and not when nothing is written. */
  @Test
  void rewritesArePacedWhileTheWriterWritesAndOnlyThen() throws Exception {
    FileJournal quiet = withLargeLogPurged(dir.resolve("quiet"));
    assertThat(quiet.awaitCompaction(Duration.ofSeconds(60))).isTrue();
    assertThat(quiet.compactor().pausedNanos()).as("nothing written meanwhile").isZero();

    FileJournal busy = withLargeLogPurged(dir.resolve("busy"));
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer = Thread.ofPlatform().start(() -> {
      for (int i = 0; writing.get(); i++) busy.append("ws-b", batch("ws-b", "w" + i + "-", 1)).join();
    });
    try {
      assertThat(busy.awaitCompaction(Duration.ofSeconds(120))).isTrue();
    } finally {
      writing.set(false);
      writer.join();
    }
    assertThat(busy.compactor().pausedNanos()).as("single writes went on meanwhile").isPositive();
  }

  /** 40,000 entries in 1 MiB segments, all but the last thousand purged: tens of megabytes to rewrite. */
  private FileJournal withLargeLogPurged(Path at) {
    FileJournal j = FileJournal.open(at, new FileJournal.Options(1 << 20, 10_000, 20_000));
    open.add(j);
    for (int i = 0; i < 40; i++) j.append("ws-a", batch("ws-a", "e" + i + "-", 1000)).join();
    j.purge("ws-a", 39_000, new long[0], "test");
    return j;
  }
}
