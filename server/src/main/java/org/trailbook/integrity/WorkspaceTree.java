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
 * and whether writes are refused (and why). The tree is appended to by the journal's writer thread
 * only; signing takes {@link #signLock}.
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

  void signed(Signed s) {
    latest = s;
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

  /** Tells waiters that the tree grew. Called on the writer thread: quick. */
  void signalGrowth() {
    growth.lock();
    try {
      grown.signalAll();
    } finally {
      growth.unlock();
    }
  }

  /** Waits until the tree holds more than {@code seq} leaves or the deadline (nanoTime) passes; true if it does. */
  boolean awaitLeaf(long seq, long deadlineNanos) throws InterruptedException {
    growth.lock();
    try {
      while (tree.size() <= seq) {
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
