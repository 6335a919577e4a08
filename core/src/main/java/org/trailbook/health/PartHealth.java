package org.trailbook.health;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of one background part of the server (the journal writer, the tree appender, the
 * search indexer, the checkpoint signer), as its own loop reports it: which thread runs it, when it
 * last made progress, and whether it failed and why.
 *
 * <p>{@link #fail} is the one place a loop reports that it stopped: it keeps the first cause, logs
 * one ERROR line with the exception (later failures are not logged again, so a broken part cannot
 * flood the log), and from then on {@link #failure()} answers. There are no retries here: a
 * supervisor that restarts parts with back-off would hook in at {@link #fail}.
 *
 * <p>Cost on the hot path: {@link #progressed()} is one volatile write, meant to be called once per
 * batch or idle tick, never per event.
 */
public final class PartHealth {
  private static final Logger log = LoggerFactory.getLogger(PartHealth.class);

  /**
   * Why a part stopped. {@code reason} is safe to show to anyone (the open probes print it): it
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
  private volatile Failure failure;
  private volatile boolean stopped;

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
   * The part stopped working because of {@code cause}. The first call records it and logs one ERROR
   * line with the exception; later calls change nothing. Never throws.
   *
   * @return whether this was the first failure
   */
  public boolean fail(Throwable cause) {
    Failure f;
    synchronized (this) {
      if (failure != null) return false;
      f = new Failure(part, description + " stopped (" + kind(cause) + "); " + consequence, cause);
      failure = f;
    }
    log.error("[{}] {}", part, f.reason(), cause); // the cause's message and stack are for the log only
    return true;
  }

  /** The failure, or null while the part works. */
  public Failure failure() {
    return failure;
  }

  /**
   * What is wrong with the part, safe to show to anyone, or null when nothing is: it failed, its
   * thread ended without the server closing (a death that bypassed {@link #fail}), or it made no
   * progress for longer than {@code stallNanos}.
   */
  public String problem(long stallNanos) {
    Failure f = failure;
    if (f != null) return f.reason();
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
    return part + (f == null ? " ok" : " failed: " + f.reason());
  }
}
