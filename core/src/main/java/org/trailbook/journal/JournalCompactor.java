package org.trailbook.journal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.health.BackgroundPace;
import org.trailbook.health.WriteActivity;

/**
 * Gives back the disk space of purged entries in the background: one thread ({@code journal-compactor}) rewrites each
 * sealed segment holding frames of purged entries without them ({@link SegmentCompactor}) and swaps it in with the
 * moved positions ({@link SegmentFiles#replace}).
 *
 * <p>Why a thread of its own: the journal is one log shared by every workspace, so a purge of each workspace in turn
 * used to rewrite every sealed segment once per workspace (3 segments × 20 workspaces = 60 rewrites in the R2
 * benchmark). A purge now only marks the segments it left frames in and returns; the compactor takes the marked sealed
 * segments one at a time, starting half a second after the last purge marked one, so a burst of purges rewrites each
 * segment about once, and no purge waits for a rewrite.
 * Segments are marked by purges, by recovery (frames a crash left) and checked again when the writer seals the active
 * segment, which is never rewritten while it is written.
 *
 * <p>A purge may commit while a segment is being rewritten: the rewrite decides frame by frame on the purge state it
 * reads, a move is applied only to an entry still stored at the swap, and the purge marks the segment again after its
 * state swap, so frames it purged are dropped by the next rewrite at the latest (or at the next open, after a crash).
 */
final class JournalCompactor {
  private static final Logger log = LoggerFactory.getLogger(JournalCompactor.class);
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  /**
   * A rewrite starts once no purge marked a segment for this long: a pass over many workspaces purges them back to back,
   * and each of its purges marks most segments again, so waiting for the pass to end rewrites each segment once.
   */
  private static final long QUIET_NANOS = 500_000_000L;

  private final Path dir;
  private final Map<String, WorkspaceLog> logs;
  private final SegmentFiles files;
  /** Paces rewrites while writes are acknowledged: a rewrite can wait, acknowledgements cannot. */
  private final BackgroundPace pace;
  private final Thread thread;
  private final Object lock = new Object();
  /** Segments holding frames of purged entries; guarded by {@link #lock}. */
  private final Set<Integer> marked = new TreeSet<>();
  /** Segments whose compaction failed: left alone until the next open (logged); guarded by {@link #lock}. */
  private final Set<Integer> failed = new TreeSet<>();
  private boolean running; // guarded by lock
  private long lastMark = System.nanoTime() - QUIET_NANOS; // guarded by lock
  private long rewrites; // segments swapped for a rewrite without purged frames; guarded by lock
  /** Run after a rewrite, before its swap (tests only, to hold a compaction there; null in service). */
  volatile Runnable beforeSwap;
  private boolean closed; // guarded by lock

  JournalCompactor(Path dir, Map<String, WorkspaceLog> logs, SegmentFiles files, WriteActivity writes) {
    this.dir = dir;
    this.logs = logs;
    this.files = files;
    this.pace = new BackgroundPace(writes::busy);
    this.thread = Thread.ofPlatform().name("journal-compactor").daemon(true).unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  /** Marks a segment as holding frames of purged entries: compacted once sealed. */
  void mark(int segment) {
    synchronized (lock) {
      lastMark = System.nanoTime();
      marked.add(segment);
      lock.notifyAll();
    }
  }

  /** Looks for work again (the writer sealed a segment). */
  void wake() {
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  /** Sealed segments waiting for their rewrite, the one being rewritten included. */
  int pending() {
    synchronized (lock) {
      return (int) marked.stream().filter(this::compactable).count() + (running ? 1 : 0);
    }
  }

  /** Nanoseconds rewrites paused for the writer's groups (tests). */
  long pausedNanos() {
    return pace.pausedNanos();
  }

  /** Segments rewritten and swapped in since the journal opened. */
  long rewrites() {
    synchronized (lock) {
      return rewrites;
    }
  }

  /** Waits until no sealed segment waits for its rewrite; false if {@code timeout} passed first. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!closed && (running || firstCompactable() != null)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** Lets no further segment start: the one in progress finishes, the rest is compacted at the next open. */
  void stop() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
  }

  boolean stopping() {
    synchronized (lock) {
      return closed;
    }
  }

  /** {@link #stop}s and waits for the segment in progress. */
  void close() {
    stop();
    if (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private long quietLeftMillis() {
    return Math.max(0, (lastMark + QUIET_NANOS - System.nanoTime() + 999_999) / 1_000_000);
  }

  private Integer firstCompactable() {
    return marked.stream().filter(this::compactable).findFirst().orElse(null);
  }

  private boolean compactable(int segment) {
    return segment < files.count() - 1 && !failed.contains(segment);
  }

  private void loop() {
    pace.begin(); // its CPU adds up across rewrites: many small segments are paced like one large one
    while (true) {
      int segment;
      synchronized (lock) {
        Integer next = firstCompactable();
        while (!closed && (next == null || quietLeftMillis() > 0)) {
          try {
            lock.wait(next == null ? 0 : quietLeftMillis());
          } catch (InterruptedException e) {
            return;
          }
          next = firstCompactable();
        }
        if (closed) return;
        segment = next;
        marked.remove(next); // a purge committing during the rewrite marks it again
        running = true;
      }
      try {
        compact(segment);
        pace.step();
      } catch (IOException | RuntimeException e) {
        synchronized (lock) {
          failed.add(segment);
        }
        log.error("journal: compaction of {} failed; it is retried at the next open", FileJournal.segmentName(segment), e);
      } finally {
        synchronized (lock) {
          running = false;
          lock.notifyAll();
        }
      }
    }
  }

  /** Where the retained frames of one segment moved: three parallel columns, about 20 bytes a frame. */
  private static final class Moves {
    WorkspaceLog[] logs = new WorkspaceLog[1024];
    long[] seqs = new long[1024];
    int[] offsets = new int[1024]; // a segment is below 4 GiB: positions keep offsets in 32 bits
    int count;

    void add(WorkspaceLog log, long seq, long offset) {
      if (count == seqs.length) {
        logs = Arrays.copyOf(logs, count * 2);
        seqs = Arrays.copyOf(seqs, count * 2);
        offsets = Arrays.copyOf(offsets, count * 2);
      }
      logs[count] = log;
      seqs[count] = seq;
      offsets[count++] = (int) offset;
    }
  }

  private void compact(int segment) throws IOException {
    long cpu = CPU.getCurrentThreadCpuTime();
    long paused = pace.pausedNanos();
    Path file = dir.resolve(FileJournal.segmentName(segment));
    Moves moves = new Moves();
    SegmentCompactor.Result r = SegmentCompactor.compact(file, (ws, seq) -> {
      WorkspaceLog wl = logs.get(ws);
      return wl == null || !wl.purged.purged(seq);
    }, (ws, seq, offset) -> moves.add(logs.get(ws), seq, offset), pace::step);
    if (r == null) return; // nothing to drop (the segment was marked again by a purge its last rewrite already saw)
    Runnable hook = beforeSwap;
    if (hook != null) hook.run();
    FileChannel fresh = FileChannel.open(file, StandardOpenOption.READ);
    FileChannel old = files.replace(segment, fresh, () -> {
      for (int i = 0; i < moves.count; i++) {
        WorkspaceLog wl = moves.logs[i];
        // an entry purged since the rewrite kept its frame has no position to move (its chunk may be gone)
        if (!wl.purged.purged(moves.seqs[i])) wl.positions.set(moves.seqs[i], ((long) segment << 32) | (moves.offsets[i] & 0xFFFFFFFFL));
      }
    });
    old.close(); // readers still in it fail, find their stamp invalid and read again from the new file
    synchronized (lock) {
      rewrites++;
    }
    log.info("journal: compacted {}: {} frames dropped, {} bytes given back, cpu {} ms, paused {} ms for writes", file.getFileName(), r.framesDropped(),
        r.bytesBefore() - r.bytesAfter(), (CPU.getCurrentThreadCpuTime() - cpu) / 1_000_000, (pace.pausedNanos() - paused) / 1_000_000);
  }
}
