package org.trailbook.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * A compact range over leaves {@code [0, size)}: the roots of the complete subtrees along the right
 * border, one per set bit of {@code size}. Fed leaf hashes one by one, it gives the root at the
 * current size at any point in O(log n) memory, so a verifier can recompute the roots of millions
 * of entries and compare them with checkpoints. Not thread-safe.
 */
public final class MerkleRoots {
  /** Receives each node that an append completes: the leaf itself, then every interior node it closes. */
  @FunctionalInterface
  interface NodeSink {
    void completed(int level, long index, Hash hash);
  }

  private final TreeHasher hasher = new TreeHasher();
  /** The border, largest (leftmost) subtree first. */
  private final List<Hash> border;
  private long size;

  public MerkleRoots() {
    this(0, List.of());
  }

  /** Resumes from a known border: {@code border.get(i)} is the node for the i-th set bit of {@code size}, highest first. */
  MerkleRoots(long size, List<Hash> border) {
    if (size < 0 || Long.bitCount(size) != border.size()) {
      throw new IllegalArgumentException("size " + size + " needs " + Long.bitCount(Math.max(size, 0)) + " border hashes, not " + border.size());
    }
    this.size = size;
    this.border = new ArrayList<>(border);
  }

  public long size() {
    return size;
  }

  public void append(Hash leafHash) {
    append(leafHash, (level, index, hash) -> {});
  }

  void append(Hash leafHash, NodeSink sink) {
    Hash hash = leafHash;
    long index = size;
    int level = 0;
    sink.completed(level, index, hash);
    while ((index & 1) == 1) {
      hash = hasher.nodeHash(border.removeLast(), hash);
      index >>>= 1;
      level++;
      sink.completed(level, index, hash);
    }
    border.add(hash);
    size++;
  }

  /** {@code MTH(D[0:size])}: the border folded right to left; the empty-tree root when nothing was appended. */
  public Hash root() {
    if (border.isEmpty()) return hasher.emptyRoot();
    Hash root = border.getLast();
    for (int i = border.size() - 2; i >= 0; i--) root = hasher.nodeHash(border.get(i), root);
    return root;
  }
}
