package org.trailbook.integrity;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.LogKey;
import org.trailbook.health.PartHealth;
import org.trailbook.merkle.Hash;

/**
 * Signs a checkpoint for every workspace whose tree grew since its last one: on its own thread
 * every interval, and on demand when a proof needs one. The scheduled signer is a part of its own
 * ({@link #health()}): any failure in a pass (a tree that cannot be synced, a checkpoint that cannot
 * be stored, an Error) stops it for good, logged once; writes go on, readiness reports it, and a
 * restart signs everything that grew meanwhile.
 */
final class CheckpointSigner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CheckpointSigner.class);

  private final LogKey key;
  private final UnaryOperator<String> origin;
  private final Collection<WorkspaceTree> workspaces;
  private final AtomicLong signed = new AtomicLong();
  /** Wall-clock time of the newest checkpoint this signer made, or -1 before the first. */
  private volatile long lastSignedMillis = -1;
  /** Told how long each checkpoint took (metrics); a no-op until set. */
  private volatile LongConsumer signNanos = nanos -> {};
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("checkpoint-signer").daemon(true).factory());
  private final PartHealth health = new PartHealth("checkpoint_signer", "the checkpoint signer",
      "no new checkpoints are signed until the server restarts; writes continue", false);

  /** Signs with {@code key} the trees of {@code workspaces} (a live view), under origins from {@code origin}. */
  CheckpointSigner(LogKey key, UnaryOperator<String> origin, Collection<WorkspaceTree> workspaces) {
    this.key = key;
    this.origin = origin;
    this.workspaces = workspaces;
  }

  void start(Duration every) {
    long ms = every.toMillis();
    executor.scheduleWithFixedDelay(this::signOnSchedule, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** The scheduled pass. A failure stops the signer for good: a scheduled task that throws is not run again. */
  private void signOnSchedule() {
    health.running();
    try {
      for (WorkspaceTree s : workspaces) signIfGrown(s);
    } catch (RuntimeException | Error e) {
      health.fail(e);
      throw e;
    }
  }

  /** One pass now, on the caller's thread; a workspace that fails is logged and skipped. */
  void signDue() {
    for (WorkspaceTree s : workspaces) {
      try {
        signIfGrown(s);
      } catch (RuntimeException e) {
        log.error("cannot sign a checkpoint for workspace {}", s.workspace, e);
      }
    }
  }

  /** Signs a checkpoint of the workspace's whole tree if it grew since the latest one. */
  void signIfGrown(WorkspaceTree s) {
    if (s.tree == null || s.refusal() != null) return;
    s.signLock.lock();
    try {
      long size = s.tree.size();
      WorkspaceTree.Signed latest = s.latest();
      if (size == 0 || (latest != null && size <= latest.treeSize())) return;
      long start = System.nanoTime();
      s.tree.sync();
      Hash root = s.tree.rootAt(size);
      String note = key.sign(new Checkpoint(origin.apply(s.workspace), size, root));
      s.checkpoints.append(size, note);
      s.signed(new WorkspaceTree.Signed(size, note));
      signed.incrementAndGet();
      lastSignedMillis = System.currentTimeMillis();
      // what an operator waits for: the tree's fsync, the signature and the checkpoint's own fsync
      signNanos.accept(System.nanoTime() - start);
    } finally {
      s.signLock.unlock();
    }
  }

  long signedTotal() {
    return signed.get();
  }

  /** When this signer last signed a checkpoint (wall clock, ms), or -1 if it has not yet. */
  long lastSignedMillis() {
    return lastSignedMillis;
  }

  /** Sets what is told the duration of every checkpoint signed from now on. */
  void observeSigning(LongConsumer nanos) {
    this.signNanos = java.util.Objects.requireNonNull(nanos);
  }

  PartHealth health() {
    return health;
  }

  /** Stops the schedule, then signs a last checkpoint for every grown tree. */
  @Override
  public void close() {
    health.stopped();
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    signDue();
  }
}
