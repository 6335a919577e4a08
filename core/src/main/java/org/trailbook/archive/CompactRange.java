package org.trailbook.archive;

import java.util.ArrayList;
import java.util.List;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.NodeId;
import org.trailbook.merkle.TreeHasher;

/**
 * A compact range of RFC 9162's tree: the hashes of the fewest complete, aligned subtrees that cover leaves
 * {@code [begin, end)}, left to right. Leaves and nodes are pushed at the right end; two neighbours of one level that
 * are siblings merge into their parent, so it holds at most about 2·log2(n) nodes. Three compact ranges that tile
 * {@code [0, treeSize)} — the left of an archived range, the range itself, its right — pushed one after the other
 * give the compact range of {@code [0, treeSize)}, whose nodes folded right to left are the tree's root hash. Not
 * thread-safe.
 */
public final class CompactRange {
  /** One node of a compact range: its place and hash. */
  public record Node(NodeId id, Hash hash) {}

  private final TreeHasher hasher = new TreeHasher();
  private final List<Node> nodes = new ArrayList<>();
  private final long begin;
  private long end;

  /** An empty range starting (and ending) at {@code begin}. */
  public CompactRange(long begin) {
    if (begin < 0) throw new IllegalArgumentException("a range cannot begin at " + begin);
    this.begin = begin;
    this.end = begin;
  }

  /**
   * The nodes of the compact range of {@code [begin, end)}, left to right: from each position the largest subtree
   * aligned there that does not pass {@code end}. Sizes first grow, then shrink.
   */
  public static List<NodeId> nodes(long begin, long end) {
    if (begin < 0 || end < begin) throw new IllegalArgumentException("bad range [" + begin + ", " + end + ")");
    List<NodeId> out = new ArrayList<>();
    long position = begin;
    while (position < end) {
      int level = position == 0 ? 62 : Long.numberOfTrailingZeros(position);
      while ((1L << level) > end - position) level--;
      out.add(new NodeId(level, position >>> level));
      position += 1L << level;
    }
    return out;
  }

  public long begin() {
    return begin;
  }

  public long end() {
    return end;
  }

  /** Appends the leaf hash of leaf {@link #end()}. */
  public void appendLeaf(Hash leafHash) {
    push(new NodeId(0, end), leafHash);
  }

  /** Appends a complete subtree that starts at {@link #end()}. */
  public void push(NodeId id, Hash hash) {
    if (id.begin() != end) throw new IllegalArgumentException("node [" + id.begin() + ", " + id.end() + ") does not start at the range's end " + end);
    Node node = new Node(id, hash);
    while (!nodes.isEmpty() && (node.id().index() & 1) == 1) {
      Node last = nodes.getLast();
      if (last.id().level() != node.id().level() || last.id().index() != node.id().index() - 1) break; // the sibling is not in the range
      nodes.removeLast();
      node = new Node(new NodeId(node.id().level() + 1, node.id().index() >>> 1), hasher.nodeHash(last.hash(), node.hash()));
    }
    nodes.add(node);
    end = id.end();
  }

  /** The nodes, left to right (what {@link #nodes(long, long)} names for this range). */
  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  /** {@code MTH(D[0:end])} (the empty-tree root for an empty range); only for a range that begins at leaf 0. */
  public Hash root() {
    if (begin != 0) throw new IllegalStateException("only a range from leaf 0 has a root; this one begins at " + begin);
    if (nodes.isEmpty()) return hasher.emptyRoot();
    Hash root = nodes.getLast().hash();
    for (int i = nodes.size() - 2; i >= 0; i--) root = hasher.nodeHash(nodes.get(i).hash(), root);
    return root;
  }
}
