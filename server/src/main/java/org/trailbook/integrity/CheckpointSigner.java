package org.trailbook.integrity;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.LogKey;
import org.trailbook.health.PartHealth;
import org.trailbook.health.Supervisor;
import org.trailbook.merkle.Hash;

/**
 * Signs a checkpoint for every workspace whose tree grew since its last one: on its own thread
 * every interval, and on demand when a proof needs one. The scheduled signer is a part of its own
 * ({@link #health()}) run by a {@link Supervisor}: a failed pass (a tree that cannot be synced, a
 * checkpoint that cannot be stored, an Error) is logged once per streak, readiness reports it, writes
 * go on, and the pass is retried with back-off; the first pass that succeeds signs everything that
 * grew meanwhile (a checkpoint covers the whole tree, so nothing is lost by retrying later).
 */
final class CheckpointSigner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CheckpointSigner.class);

  private final LogKey key;
  private final UnaryOperator<String> origin;
  private final Collection<WorkspaceTree> workspaces;
  private final SigningLease lease;
  private final java.util.function.Consumer<WorkspaceTree> refresh;
  private final AtomicLong signed = new AtomicLong();
  /** Wall-clock time of the newest checkpoint this signer made, or -1 before the first. */
  private volatile long lastSignedMillis = -1;
  /** Told how long each checkpoint took (metrics); a no-op until set. */
  private volatile LongConsumer signNanos = nanos -> {};
  private final PartHealth health = new PartHealth("checkpoint_signer", "the checkpoint signer",
      "no new checkpoints are signed until it recovers; writes continue", false);
  private Supervisor supervisor;
  /** A fault to inject before each scheduled pass (tests only; null in service). */
  volatile Supervisor.Step fault;

  /**
   * Signs with {@code key} the trees of {@code workspaces} (a live view), under origins from {@code origin},
   * while this node holds {@code lease}; {@code refresh} first takes what another node signed meanwhile.
   */
  CheckpointSigner(LogKey key, UnaryOperator<String> origin, Collection<WorkspaceTree> workspaces, SigningLease lease,
      java.util.function.Consumer<WorkspaceTree> refresh) {
    this.key = key;
    this.origin = origin;
    this.workspaces = workspaces;
    this.lease = lease;
    this.refresh = refresh;
  }

  void start(Duration every) {
    supervisor = Supervisor.every("checkpoint-signer", health, every, this::signOnSchedule);
  }

  /**
   * The scheduled pass. A workspace that cannot be signed does not keep the others from their
   * checkpoints: every workspace is tried, then the first failure goes to the supervisor (counted,
   * logged once per streak, the whole pass retried after its back-off).
   */
  private void signOnSchedule() throws Exception {
    Supervisor.Step f = fault;
    if (f != null) f.run();
    Throwable first = null;
    boolean signing = lease.held(); // confirmed right before the pass: a node that lost the lease only reads
    for (WorkspaceTree s : workspaces) {
      try {
        if (signing) signIfGrown(s);
        else if (grown(s)) refresh.accept(s);
      } catch (RuntimeException | Error e) {
        if (first == null) first = e;
        else first.addSuppressed(e);
      }
    }
    if (first instanceof RuntimeException e) throw e;
    if (first instanceof Error e) throw e;
  }

  /** One pass now, on the caller's thread, if this node holds the lease; a workspace that fails is logged and skipped. */
  void signDue() {
    if (!lease.held()) return;
    for (WorkspaceTree s : workspaces) {
      try {
        signIfGrown(s);
      } catch (RuntimeException e) {
        log.error("cannot sign a checkpoint for workspace {}", s.workspace, e);
      }
    }
  }

  /** True when the workspace's tree holds more than its latest known checkpoint covers. */
  private static boolean grown(WorkspaceTree s) {
    if (s.tree == null || s.refusal() != null) return false;
    WorkspaceTree.Signed latest = s.latest();
    return s.tree.size() > (latest == null ? 0 : latest.treeSize());
  }

  /**
   * Signs a checkpoint of the workspace's whole tree if it grew since the latest one, having first taken
   * the latest from the store (a previous signer may have signed further than this node knew).
   */
  void signIfGrown(WorkspaceTree s) {
    if (!grown(s)) return;
    s.signLock.lock();
    try {
      refresh.accept(s);
      if (s.refusal() != null) return;
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
    if (supervisor != null) supervisor.close();
    health.stopped();
    signDue();
  }
}
