package org.trailbook.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.MerkleRoots;
import org.trailbook.merkle.NodeId;
import org.trailbook.merkle.TreeHasher;

class CompactRangeTest {
  private static final TreeHasher HASHER = new TreeHasher();

  private static List<Hash> leaves(int n) {
    List<Hash> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(HASHER.leafHash(("leaf " + i).getBytes(StandardCharsets.UTF_8)));
    return out;
  }

  @Test
  void nodesTileTheRangeWithAlignedCompleteSubtrees() {
    assertThat(CompactRange.nodes(0, 0)).isEmpty();
    assertThat(CompactRange.nodes(0, 7)).containsExactly(new NodeId(2, 0), new NodeId(1, 2), new NodeId(0, 6));
    assertThat(CompactRange.nodes(3, 8)).containsExactly(new NodeId(0, 3), new NodeId(2, 1));
    assertThat(CompactRange.nodes(5, 13)).containsExactly(new NodeId(0, 5), new NodeId(1, 3), new NodeId(2, 2), new NodeId(0, 12));
    for (long begin = 0; begin < 70; begin++) {
      for (long end = begin; end < 90; end++) {
        long position = begin;
        for (NodeId id : CompactRange.nodes(begin, end)) {
          assertThat(id.begin()).isEqualTo(position);
          position = id.end();
        }
        assertThat(position).isEqualTo(end);
      }
    }
  }

  /** Every split of every small tree into left | range | right gives the tree's root, as MerkleRoots computes it. */
  @Test
  void leftRangeAndRightGiveTheRootOfEveryTree() {
    List<Hash> leaves = leaves(40);
    for (int size = 1; size <= 40; size++) {
      MerkleRoots reference = new MerkleRoots();
      for (int i = 0; i < size; i++) reference.append(leaves.get(i));
      for (int from = 0; from < size; from++) {
        for (int to = from + 1; to <= size; to++) {
          CompactRange middle = new CompactRange(from);
          for (int i = from; i < to; i++) middle.appendLeaf(leaves.get(i));
          assertThat(middle.nodes()).extracting(CompactRange.Node::id).containsExactlyElementsOf(CompactRange.nodes(from, to));
          CompactRange whole = new CompactRange(0);
          for (CompactRange.Node n : range(leaves, 0, from).nodes()) whole.push(n.id(), n.hash());
          for (CompactRange.Node n : middle.nodes()) whole.push(n.id(), n.hash());
          for (CompactRange.Node n : range(leaves, to, size).nodes()) whole.push(n.id(), n.hash());
          assertThat(whole.root()).as("size %d, range [%d, %d)", size, from, to).isEqualTo(reference.root());
        }
      }
    }
  }

  @Test
  void refusesANodeThatDoesNotStartAtTheEnd() {
    CompactRange r = new CompactRange(4);
    assertThatThrownBy(() -> r.push(new NodeId(0, 5), HASHER.emptyRoot())).hasMessageContaining("does not start at the range's end 4");
    assertThatThrownBy(r::root).hasMessageContaining("only a range from leaf 0");
    assertThat(new CompactRange(0).root()).isEqualTo(HASHER.emptyRoot());
  }

  private static CompactRange range(List<Hash> leaves, int from, int to) {
    CompactRange r = new CompactRange(from);
    for (int i = from; i < to; i++) r.appendLeaf(leaves.get(i));
    return r;
  }
}
