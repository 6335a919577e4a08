package org.trailbook.health;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Paces background work (purge passes, the journal's compaction) while the server is acknowledging writes: then the
 * work takes at most {@value #BUSY_SHARE} of a core, pausing after each slice of CPU it used for nine times as long;
 * otherwise it runs at full speed. Acknowledgements are what clients wait for, and on a two-core machine single events
 * alone can keep more than a core busy; a purge is due by a day, not by a second (docs/adr/0005).
 *
 * <p>The working thread calls {@link #begin} when it starts and {@link #step} between small steps (a page of entries,
 * a megabyte of a segment); a step measures the thread's own CPU time, so waiting for the disk is never paced. One
 * thread at a time.
 */
public final class BackgroundPace {
  /** The share of one core background work takes while writes are being acknowledged. */
  public static final double BUSY_SHARE = 0.1;
  /** Paced in slices of at least this much CPU time: short, so a slice delays an acknowledgement little. */
  static final long SLICE_NANOS = 2_000_000;
  /** A longer slice (one big step) still pauses at most this long at once. */
  private static final long MAX_PAUSE_NANOS = 500_000_000;
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private final BooleanSupplier busy;
  private long mark;
  private long paused;

  /** @param busy whether writes are being acknowledged now */
  public BackgroundPace(BooleanSupplier busy) {
    this.busy = busy;
  }

  /** Starts pacing the calling thread. */
  public void begin() {
    mark = CPU.getCurrentThreadCpuTime();
  }

  /** After a step: once a slice of CPU was used, pauses for nine times that while writes are being acknowledged. */
  public void step() {
    long now = CPU.getCurrentThreadCpuTime();
    long used = now - mark;
    if (used < SLICE_NANOS) return;
    mark = now;
    if (!busy.getAsBoolean()) return;
    long pause = Math.min(MAX_PAUSE_NANOS, (long) (used * (1 - BUSY_SHARE) / BUSY_SHARE));
    try {
      Thread.sleep(Duration.ofNanos(pause)); // pacing: the time is the point, nothing is awaited
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    paused += pause;
    mark = CPU.getCurrentThreadCpuTime();
  }

  /** Nanoseconds paused since this pace was made. */
  public long pausedNanos() {
    return paused;
  }
}
