package org.trailbook.merkle;

/** The address of a complete subtree: the node at {@code level} L, {@code index} i covers leaves {@code [i * 2^L, (i + 1) * 2^L)}. */
public record NodeId(int level, long index) {
  public NodeId {
    if (level < 0 || level > 62) throw new IllegalArgumentException("level " + level + " out of range 0..62");
    if (index < 0 || index > (Long.MAX_VALUE >> level)) {
      throw new IllegalArgumentException("index " + index + " out of range at level " + level);
    }
  }

  /** The first leaf this node covers. */
  public long begin() {
    return index << level;
  }

  /** One past the last leaf this node covers. */
  public long end() {
    return (index + 1) << level;
  }
}
