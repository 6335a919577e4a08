package org.trailbook.integrity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.trailbook.OverloadedException;
import org.trailbook.health.PartHealth;
import org.trailbook.journal.EventStore;
import org.trailbook.journal.Entry;
import org.trailbook.journal.FeedFollower;
import org.trailbook.journal.JournalUnavailableException;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;

/**
 * Appends every committed entry's leaf hash to its workspace's Merkle tree, following the commit
 * feed on a thread of its own (the journal's writer only commits). Its position in a workspace is
 * the tree's size, so the trees are node-local derived state: caught up from the log at start, on
 * a new workspace, and after any lag.
 *
 * <p>No retry for a fault of its own ({@link PartHealth} {@code tree_appender}, which blocks writes):
 * a fault writing a tree file (or an Error) leaves the {@code TreeStore} refusing further writes, so
 * the part fails for good; the trees are rebuilt from the journal at the next start, and until then
 * writes are refused so nothing is acknowledged that cannot be proven. A store that cannot be read
 * for a while (the PostgreSQL store down or restarting) is retried with a back-off instead: writes
 * are refused meanwhile (the part is backing off) and resume once it caught up again.
 */
final class TreeAppender implements FeedFollower.Consumer, AutoCloseable {
  /** How long a step waits for news before it ticks progress (and how soon close is noticed). */
  private static final Duration IDLE = Duration.ofMillis(250);
  /** The longest wait between attempts while the store cannot be read. */
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
  /** Success for this long ends a streak of failures (the next one starts again at the shortest back-off). */
  private static final Duration QUIET = Duration.ofSeconds(30);

  private final EventStore store;
  private final Function<String, WorkspaceTree> open;
  private final BiConsumer<WorkspaceTree, String> refuse;
  private final PartHealth health;
  private final FeedFollower follower;
  private final TreeHasher hasher = new TreeHasher();
  private final Thread thread;
  private volatile boolean closing;
  /** A fault to inject before each chunk is appended (tests only; null in service). */
  volatile Runnable fault;

  /**
   * @param open the workspace's tree, opened and checked (and caught up from the log) on first use
   * @param refuse refuses a workspace for integrity
   */
  TreeAppender(EventStore feed, Function<String, WorkspaceTree> open, BiConsumer<WorkspaceTree, String> refuse, PartHealth health) {
    this.store = feed;
    this.open = open;
    this.refuse = refuse;
    this.health = health;
    this.follower = new FeedFollower(feed, this);
    this.thread = Thread.ofPlatform().name("tree-appender").daemon(true).unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  private void loop() {
    health.running();
    try {
      while (!closing) {
        try {
          follower.step(IDLE);
        } catch (JournalUnavailableException | OverloadedException e) {
          // the store could not be read (the PostgreSQL store down or restarting): nothing was half-done (a step
          // redone starts from the trees' sizes), so back off and try again instead of refusing writes until a restart
          int inRow = health.streak() + 1;
          long delay = Math.min(MAX_BACKOFF.toNanos(), Duration.ofMillis(100).toNanos() << Math.min(5, inRow - 1));
          if (health.retrying(e, delay) == 0) return;
          pause(delay);
          continue;
        }
        health.succeeded(QUIET.toNanos());
      }
      follower.deliver(); // closing: nothing appends any more, so the trees take the log's last entries (the signer's last checkpoint covers them)
      health.stopped();
    } catch (Throwable t) {
      // an interrupt lands here too: nothing interrupts this thread, so one is a fault
      health.fail(t);
    }
  }

  /** Waits {@code nanos} (or until closing), ticking progress, so a long back-off never reads as a stall. */
  private void pause(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0 && !closing; left = deadline - System.nanoTime()) {
      Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, IDLE.toMillis()));
      health.progressed();
    }
  }

  @Override
  public long position(String workspace) {
    WorkspaceTree s = open.apply(workspace);
    // a refused workspace's tree stays as it was found: it is evidence, and no new checkpoint is signed for it
    return s.refusal() != null || s.tree == null ? Long.MAX_VALUE : s.tree.size();
  }

  @Override
  public void accept(String workspace, List<Entry> entries) {
    Runnable f = fault;
    if (f != null) f.run();
    WorkspaceTree s = open.apply(workspace);
    List<Hash> leaves = new ArrayList<>(entries.size());
    for (Entry e : entries) leaves.add(hasher.leafHash(e.canonical()));
    s.tree.append(leaves);
    s.signalGrowth();
    String problem = s.compareWithLatest();
    if (problem != null) refuse.accept(s, problem);
  }

  /**
   * Seqs the log no longer holds (a purge): their leaf hashes come from the store, which keeps them for every purged seq,
   * so a tree that is behind the horizon (a new node, a tree rebuilt) still takes every leaf.
   */
  @Override
  public void purged(String workspace, long from, long to) {
    WorkspaceTree s = open.apply(workspace);
    byte[] hashes = store.purgedLeaves(workspace, from, to);
    List<Hash> leaves = new ArrayList<>((int) (to - from));
    for (int i = 0; i < hashes.length; i += Hash.SIZE) leaves.add(Hash.of(java.util.Arrays.copyOfRange(hashes, i, i + Hash.SIZE)));
    s.tree.append(leaves);
    s.signalGrowth();
    String problem = s.compareWithLatest();
    if (problem != null) refuse.accept(s, problem);
  }

  /** Stops following once the trees hold what the log holds now, and waits for the thread to end. Call before the journal closes. */
  @Override
  public void close() {
    closing = true;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
