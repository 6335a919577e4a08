package org.trailbook.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SubtreeTest {
  @Test
  void coversACompleteSubtreeWithOneNode() {
    assertThat(new Subtree(8, 16).nodes()).containsExactly(new NodeId(3, 1));
  }

  @Test
  void coversAnIncompleteSubtreeWithOneNodePerSetBitOfItsSize() {
    assertThat(new Subtree(0, 13).nodes()).containsExactly(new NodeId(3, 0), new NodeId(2, 2), new NodeId(0, 12));
    assertThat(new Subtree(16, 23).nodes()).containsExactly(new NodeId(2, 4), new NodeId(1, 10), new NodeId(0, 22));
  }

  /** Root of size 7: RootHashes()[7] in transparency-dev/merkle testonly/constants.go. */
  @Test
  void hashesAnIncompleteSubtreeByFoldingItsNodesFromTheRight() {
    assertThat(new Subtree(0, 7).hash(Rfc6962Vectors::node, new TreeHasher())).isEqualTo(Rfc6962Vectors.ROOTS.get(7));
  }

  @Test
  void rejectsRangesThatAreNotSubtrees() {
    assertThatThrownBy(() -> new Subtree(2, 6)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("range [2, 6) is not a subtree: begin is not aligned to its size");
    assertThatThrownBy(() -> new Subtree(3, 3)).isInstanceOf(IllegalArgumentException.class);
  }
}
