package org.trailbook.integrity;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.CheckpointLog;
import org.trailbook.checkpoint.SignedNote;
import org.trailbook.merkle.TreeStore;

/**
 * One workspace's integrity state: its Merkle tree, its stored checkpoints, the latest one signed,
 * and whether writes are refused (and why). The tree is appended to by the {@link TreeAppender}'s
 * thread only (and by the start-up catch-up before that); signing takes {@link #signLock}.
 */
final class WorkspaceTree {
  /** A signed checkpoint: its tree size and the signed note. */
  record Signed(long treeSize, String note) {
    static Signed of(String note) {
      return new Signed(Checkpoint.parse(SignedNote.parse(note).text()).treeSize(), note);
    }
  }

  final String workspace;
  final TreeStore tree;
  final CheckpointLog checkpoints;
  final ReentrantLock signLock = new ReentrantLock();
  private final ReentrantLock growth = new ReentrantLock();
  private final Condition grown = growth.newCondition();
  private volatile Signed latest;
  /** The tree size of the latest checkpoint already compared with (or signed from) this tree; appender thread and signer. */
  private volatile long comparedSize;
  private volatile String refusal;

  WorkspaceTree(String workspace, TreeStore tree, CheckpointLog checkpoints) {
    this.workspace = workspace;
    this.tree = tree;
    this.checkpoints = checkpoints;
    this.latest = checkpoints == null ? null : checkpoints.latest().map(Signed::of).orElse(null);
  }

  Signed latest() {
    return latest;
  }

  /** A newer checkpoint read from the store (signed elsewhere): the new latest, compared once the tree covers it. */
  synchronized void learned(Signed s) {
    if (latest == null || s.treeSize() > latest.treeSize()) latest = s; // never backwards, whoever races
  }

  /** A checkpoint signed from this tree: the new latest, and nothing to compare. */
  synchronized void signed(Signed s) {
    comparedSize = s.treeSize();
    latest = s;
  }

  /**
   * Compares the latest checkpoint with the tree at the checkpoint's size, once the tree covers it
   * (a checkpoint may be ahead of this node's tree: the tree follows the log). Returns what is
   * wrong, or null (also while the tree does not cover it yet, or when it was compared already).
   */
  String compareWithLatest() {
    Signed l = latest;
    if (l == null || tree == null || l.treeSize() <= comparedSize || tree.size() < l.treeSize()) return null;
    org.trailbook.merkle.Hash signed = Checkpoint.parse(SignedNote.parse(l.note()).text()).rootHash();
    org.trailbook.merkle.Hash root = tree.rootAt(l.treeSize());
    comparedSize = l.treeSize();
    if (root.equals(signed)) return null;
    return "the journal no longer matches its latest signed checkpoint: at size " + l.treeSize() + " the root is " + root.base64()
        + " but the checkpoint says " + signed.base64() + " (run 'trailbook verify' to find the first bad seq)";
  }

  String refusal() {
    return refusal;
  }

  /** Marks the workspace refused for writes; the first reason stays. Returns true if it was not refused before. */
  synchronized boolean refuse(String reason) {
    if (refusal != null) return false;
    refusal = reason;
    return true;
  }

  /** Tells waiters that the tree grew (or that the appender stopped: they look again). */
  void signalGrowth() {
    growth.lock();
    try {
      grown.signalAll();
    } finally {
      growth.unlock();
    }
  }

  /**
   * Waits until the tree holds more than {@code seq} leaves, the deadline (nanoTime) passes, or
   * {@code stop} says the tree will not grow (looked at every 100 ms); true if it holds them.
   */
  boolean awaitLeaf(long seq, long deadlineNanos, java.util.function.BooleanSupplier stop) throws InterruptedException {
    growth.lock();
    try {
      while (tree.size() <= seq) {
        if (stop.getAsBoolean()) return false;
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) return false;
        grown.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
      }
      return true;
    } finally {
      growth.unlock();
    }
  }

  void close() {
    try {
      if (tree != null) tree.close();
    } finally {
      if (checkpoints != null) checkpoints.close();
    }
  }
}
