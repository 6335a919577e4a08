package org.trailbook.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * A subtree of RFC 9162's tree over leaves {@code [begin, end)}: the {@code MTH(D[begin:end])} that
 * a proof or root needs. It is complete when its size is a power of two; otherwise it is the right
 * border of a tree and its hash is folded from the complete nodes that cover it (at most 63).
 */
public record Subtree(long begin, long end) {
  public Subtree {
    if (begin < 0 || end <= begin) throw new IllegalArgumentException("empty or negative range [" + begin + ", " + end + ")");
    long size = end - begin;
    int alignment = 64 - Long.numberOfLeadingZeros(size - 1); // ceil(log2(size))
    if (begin != 0 && Long.numberOfTrailingZeros(begin) < alignment) {
      throw new IllegalArgumentException("range [" + begin + ", " + end + ") is not a subtree: begin is not aligned to its size");
    }
  }

  /** The complete nodes covering this range, left to right: one per set bit of its size, largest first. */
  public List<NodeId> nodes() {
    List<NodeId> nodes = new ArrayList<>(Long.bitCount(end - begin));
    long position = begin;
    for (int level = 63 - Long.numberOfLeadingZeros(end - begin); level >= 0; level--) {
      if (((end - begin) >>> level & 1) == 1) {
        nodes.add(new NodeId(level, position >>> level));
        position += 1L << level;
      }
    }
    return nodes;
  }

  /** {@code MTH(D[begin:end])}: the covering nodes read from {@code reader}, folded right to left. */
  public Hash hash(NodeReader reader, TreeHasher hasher) {
    List<NodeId> nodes = nodes();
    NodeId last = nodes.getLast();
    Hash hash = reader.node(last.level(), last.index());
    for (int i = nodes.size() - 2; i >= 0; i--) {
      NodeId left = nodes.get(i);
      hash = hasher.nodeHash(reader.node(left.level(), left.index()), hash);
    }
    return hash;
  }
}
