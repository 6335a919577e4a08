package org.trailbook.health;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one background loop of the server on its own thread, one {@link Step} at a time, so that a
 * failure is never a silent stop: whatever a step throws (an exception, an interrupt, an Error) is
 * caught, reported to the part's {@link PartHealth} (counted, logged once per streak, {@code
 * backing_off} in the probes) and the step is run again after an exponential back-off with jitter;
 * the first step that succeeds makes the part {@code running} again, and the back-off starts from
 * its shortest delay again only after sustained success ({@link Backoff#resetAfter()}).
 *
 * <p>A step is one unit of the loop's work (one poll of a queue, one signing pass, one scrub) and
 * should return within about a second, so that {@link #close} is prompt and the part shows
 * progress; between steps the supervisor waits {@code interval} (0: none). A failed step is retried
 * after its back-off but never sooner than {@code interval}: a loop that runs once a day retries on
 * its schedule rather than hammering what just failed. While waiting the supervisor ticks the
 * part's progress, so a long interval is not a stall.
 *
 * <p>Only for parts that are safe to run again: the journal writer and the tree appender guard
 * acknowledgements and report to {@link PartHealth#fail} instead (terminal; see ARCHITECTURE.md).
 * The supervisor never interrupts its thread (an interrupt during I/O closes file channels);
 * closing waits for the current step to end.
 */
public final class Supervisor implements AutoCloseable {
  /** One unit of a loop's work. */
  @FunctionalInterface
  public interface Step {
    void run() throws Exception;
  }

  /**
   * The retry policy: the n-th failure in a row waits a random time in [d/2, d] where d is {@code
   * initial × 2^(n-1)} capped at {@code max} (jitter, so parts failing together do not retry in
   * lock step); the streak ends after {@code resetAfter} without a failure.
   */
  public record Backoff(Duration initial, Duration max, Duration resetAfter) {
    /** 100 ms doubling to 30 s; a minute without failure ends a streak. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofMinutes(1));

    public Backoff {
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || resetAfter.isNegative()) {
        throw new IllegalArgumentException("bad back-off " + initial + " .. " + max + ", reset after " + resetAfter);
      }
    }

    /** The wait after the {@code inRow}-th failure in a row (1 for the first). */
    public long delayNanos(int inRow) {
      long max = this.max.toNanos();
      int doublings = Math.min(Math.max(inRow, 1) - 1, 62);
      long d = initial.toNanos();
      for (int i = 0; i < doublings && d < max; i++) d *= 2;
      d = Math.min(d, max);
      return d / 2 + ThreadLocalRandom.current().nextLong(d - d / 2 + 1);
    }
  }

  /** How long a pause sleeps at most before ticking the part's progress. */
  private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final PartHealth health;
  private final long firstDelayNanos;
  private final long intervalNanos;
  private final Backoff backoff;
  private final Step step;
  private final Thread thread;
  private volatile boolean closing;

  private Supervisor(Thread.Builder builder, PartHealth health, Duration firstDelay, Duration interval, Backoff backoff, Step step) {
    this.health = health;
    this.firstDelayNanos = firstDelay.toNanos();
    this.intervalNanos = interval.toNanos();
    this.backoff = backoff;
    this.step = step;
    this.thread = builder.unstarted(this::loop);
  }

  /**
   * Starts running {@code step} on a new thread from {@code builder} (named for the loop), first
   * after {@code firstDelay}, then {@code interval} after each step ends, reporting to {@code health}.
   */
  public static Supervisor start(Thread.Builder builder, PartHealth health, Duration firstDelay, Duration interval, Backoff backoff, Step step) {
    Supervisor s = new Supervisor(builder, health, firstDelay, interval, backoff, step);
    s.thread.start();
    return s;
  }

  /** A loop that runs its steps back to back (each step waits for its own work) on a daemon platform thread. */
  public static Supervisor loop(String threadName, PartHealth health, Step step) {
    return start(Thread.ofPlatform().name(threadName).daemon(true), health, Duration.ZERO, Duration.ZERO, Backoff.DEFAULT, step);
  }

  /** A periodic loop on a daemon platform thread: a step every {@code interval}, the first after one interval. */
  public static Supervisor every(String threadName, PartHealth health, Duration interval, Step step) {
    return start(Thread.ofPlatform().name(threadName).daemon(true), health, interval, interval, Backoff.DEFAULT, step);
  }

  private void loop() {
    health.running();
    long delay = firstDelayNanos;
    while (!closing) {
      try {
        pause(delay);
        if (closing) break;
        step.run();
        health.succeeded(backoff.resetAfter().toNanos());
        delay = intervalNanos;
      } catch (Throwable t) {
        if (closing) break; // a step cut short by the closing server is not a failure
        // the delay is reported with the failure, so it is computed from the streak the failure extends
        int inRow = health.streak() + 1;
        delay = Math.max(intervalNanos, backoff.delayNanos(inRow));
        if (health.retrying(t, delay) == 0) break; // the part failed for good meanwhile: nothing to retry
      }
    }
    health.stopped();
  }

  /** Waits {@code nanos} (or until closing), ticking progress; an interrupt is a fault, as in any step. */
  private void pause(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0 && !closing; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(this, Math.min(left, TICK_NANOS));
      if (Thread.interrupted()) throw new InterruptedException("interrupted while " + health.part() + " was waiting");
      health.progressed();
    }
  }

  /** The thread that runs the loop (for a hand-off that unparks it). */
  public Thread thread() {
    return thread;
  }

  /** Stops after the current step (never interrupting it) and waits up to 10 s for the thread to end. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /** Stops after the current step (never interrupting it) and waits up to {@code wait} for the thread to end. */
  public void close(Duration wait) {
    closing = true;
    LockSupport.unpark(thread);
    if (Thread.currentThread() == thread) return;
    try {
      thread.join(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether {@link #close} was called: a step may check it to cut long work short. */
  public boolean closing() {
    return closing;
  }
}
