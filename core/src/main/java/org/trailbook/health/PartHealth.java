package org.trailbook.health;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of one background part of the server (the journal writer, the tree appender, the
 * search indexer, the checkpoint signer, …), as its own loop reports it: which thread runs it, when
 * it last made progress, its {@link #state()}, how often it failed ({@link #failures()}) and why.
 *
 * <p>Two ways to fail. {@link #fail} is terminal: the part stays {@link State#FAILED} until the
 * server restarts (the journal writer and the tree appender, which guard acknowledgements). {@link
 * #retrying} is what a {@link Supervisor} reports for a part it runs again after a back-off: the
 * part is {@link State#BACKING_OFF} until a step succeeds ({@link #succeeded}), then {@link
 * State#RUNNING} again.
 *
 * <p>Logging: one ERROR line with the cause per failure <em>streak</em>, never one per retry (a
 * broken part cannot flood the log); later failures of the same streak are one WARN line each with
 * the count, and the recovery is one INFO line. A streak ends only after sustained success (the
 * supervisor's {@code resetAfter}): a part that flaps keeps its streak, so it neither logs a new
 * ERROR per flap nor restarts its back-off from the shortest delay.
 *
 * <p>Cost on the hot path: {@link #progressed()} is one volatile write, {@link #succeeded} one
 * volatile write and one volatile read while the part is well; meant per batch or idle tick, never
 * per event.
 */
public final class PartHealth {
  private static final Logger log = LoggerFactory.getLogger(PartHealth.class);

  /** What a part is doing, as the probes and metrics show it ({@link #wireName()}). */
  public enum State {
    /** Working (or not started yet). */
    RUNNING,
    /** Failed and waiting for its next attempt (a supervisor retries it). */
    BACKING_OFF,
    /** Failed for good: stays so until the server restarts. */
    FAILED,
    /** Ended because the server is closing. */
    STOPPED;

    /** {@code running}, {@code backing_off}, {@code failed}, {@code stopped}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Why a part failed. {@code reason} is safe to show to anyone (the open probes print it): it
   * names the part and the kind of fault, never a message that could hold a path or a workspace
   * name; the full cause goes to the log only.
   */
  public record Failure(String part, String reason, Throwable cause) {}

  private final String part;
  private final String description;
  private final String consequence;
  private final boolean blocksWrites;
  private volatile Thread thread;
  private volatile long lastProgressNanos = System.nanoTime();
  private volatile State state = State.RUNNING;
  /** The current failure: set while BACKING_OFF or FAILED, null while RUNNING. */
  private volatile Failure failure;
  private volatile Failure lastFailure;
  private volatile long failures;
  /** True while RUNNING with no open streak: the fast path of {@link #succeeded}. */
  private volatile boolean clean = true;
  private volatile boolean stopped;
  // guarded by this
  private int streak;
  private long lastFailureNanos;

  /**
   * @param part machine name, lower_snake ({@code journal_writer})
   * @param description what it is, for people ({@code the journal writer})
   * @param consequence what its failure means ({@code writes are refused until the server restarts})
   * @param blocksWrites whether writes must be refused while it is failed
   */
  public PartHealth(String part, String description, String consequence, boolean blocksWrites) {
    this.part = part;
    this.description = description;
    this.consequence = consequence;
    this.blocksWrites = blocksWrites;
  }

  public String part() {
    return part;
  }

  public boolean blocksWrites() {
    return blocksWrites;
  }

  /** Called by the loop on its own thread when it starts: records the thread and counts as progress. */
  public void running() {
    thread = Thread.currentThread();
    lastProgressNanos = System.nanoTime();
  }

  /** The loop made progress (a batch done, or an idle tick): one volatile write. */
  public void progressed() {
    lastProgressNanos = System.nanoTime();
  }

  /** The loop ended because the server is closing: not a failure. */
  public void stopped() {
    stopped = true;
  }

  /**
   * The part stopped working for good because of {@code cause} (no retry: it stays {@link
   * State#FAILED} until the server restarts). The first call records it and logs one ERROR line
   * with the exception; later calls change nothing. Never throws.
   *
   * @return whether this was the first failure
   */
  public boolean fail(Throwable cause) {
    Failure f;
    synchronized (this) {
      if (state == State.FAILED) return false;
      f = new Failure(part, description + " stopped (" + kind(cause) + "); " + consequence, cause);
      failure = f;
      lastFailure = f;
      failures++;
      streak++;
      lastFailureNanos = System.nanoTime();
      clean = false;
      state = State.FAILED;
    }
    log.error("[{}] {}", part, f.reason(), cause); // the cause's message and stack are for the log only
    return true;
  }

  /**
   * A supervised step failed and will be tried again in {@code delayNanos}: counts it and marks the
   * part {@link State#BACKING_OFF}. Logs ERROR with the cause for the first failure of a streak,
   * WARN with the count for later ones. Does nothing once the part failed for good. Never throws.
   *
   * @return the failures in a row so far (this one included), which sets the back-off; 0 if ignored
   */
  public int retrying(Throwable cause, long delayNanos) {
    Failure f;
    int inRow;
    long total;
    synchronized (this) {
      if (state == State.FAILED) return 0;
      f = new Failure(part, description + " failed (" + kind(cause) + ") and is retried; " + consequence, cause);
      failure = f;
      lastFailure = f;
      total = ++failures;
      inRow = ++streak;
      lastFailureNanos = System.nanoTime();
      clean = false;
      state = State.BACKING_OFF;
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(delayNanos);
    if (inRow == 1) {
      log.error("[{}] {}; next attempt in {} ms", part, f.reason(), ms, cause);
    } else {
      // the cause was logged with its stack at the start of the streak; here its one-line form
      log.warn("[{}] failed again ({} failures in a row, {} since start): {}; next attempt in {} ms", part, inRow, total, cause, ms);
    }
    return inRow;
  }

  /**
   * A supervised step succeeded. Counts as progress; a part that was {@link State#BACKING_OFF} is
   * {@link State#RUNNING} again (one INFO line), and its streak ends once no failure came for
   * {@code quietNanos} (the next failure is then a new streak: a new ERROR, the shortest back-off).
   */
  public void succeeded(long quietNanos) {
    lastProgressNanos = System.nanoTime();
    if (clean) return; // the common case: one volatile read
    int recoveredAfter = 0;
    synchronized (this) {
      if (state == State.BACKING_OFF) {
        state = State.RUNNING;
        failure = null;
        recoveredAfter = streak;
      }
      if (state == State.RUNNING && System.nanoTime() - lastFailureNanos >= quietNanos) {
        streak = 0;
        clean = true;
      }
    }
    if (recoveredAfter > 0) log.info("[{}] recovered after {} failure(s) in a row", part, recoveredAfter);
  }

  /** The current failure (while backing off or failed), or null while the part works. */
  public Failure failure() {
    return failure;
  }

  /** The latest failure, kept after a recovery (null if the part never failed). */
  public Failure lastFailure() {
    return lastFailure;
  }

  /** How many times the part failed since start: a counter for metrics. */
  public long failures() {
    return failures;
  }

  /** Failures in the current streak (0 once it ended after sustained success). */
  public synchronized int streak() {
    return streak;
  }

  /** What the part is doing now: a gauge for metrics. */
  public State state() {
    State s = state;
    return s == State.RUNNING && stopped ? State.STOPPED : s;
  }

  /**
   * What is wrong with the part, safe to show to anyone, or null when nothing is: it failed or is
   * backing off (with the failure count), its thread ended without the server closing (a death that
   * bypassed its handler), or it made no progress for longer than {@code stallNanos}.
   */
  public String problem(long stallNanos) {
    Failure f = failure;
    if (f != null) return f.reason() + " (" + failures + (failures == 1 ? " failure" : " failures") + " since start)";
    if (stopped) return null;
    Thread t = thread;
    if (t != null && !t.isAlive()) return description + " is not running; " + consequence;
    long idle = System.nanoTime() - lastProgressNanos;
    if (t != null && idle > stallNanos) {
      return description + " made no progress for " + TimeUnit.NANOSECONDS.toSeconds(idle) + " s";
    }
    return null;
  }

  /** The thread that runs the part (null before it started, or for a part that runs on another part's thread). */
  public Thread thread() {
    return thread;
  }

  /** The exception's class name only: messages can hold paths and workspace names. */
  private static String kind(Throwable cause) {
    return cause == null ? "unknown cause" : cause.getClass().getSimpleName();
  }

  @Override
  public String toString() {
    Failure f = failure;
    return part + " " + state().wireName() + (f == null ? "" : ": " + f.reason());
  }
}
