package org.trailbook.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.trailbook.InvalidInputException;

class ProofBuilderTest {
  /** Node hashes of the 8-leaf tree from transparency-dev/merkle testonly/constants.go ({@link Rfc6962Vectors}). */
  private static final NodeReader VECTOR_NODES = Rfc6962Vectors::node;

  /** Expected proofs: transparency-dev/merkle proof/verify_test.go, via {@link ProofVerifierTest#knownInclusionProofs()}. */
  @ParameterizedTest
  @MethodSource("org.trailbook.merkle.ProofVerifierTest#knownInclusionProofs")
  void buildsTheKnownInclusionProofsFromStoredNodes(InclusionProof expected) {
    assertThat(ProofBuilder.inclusionProof(VECTOR_NODES, expected.leafIndex(), expected.treeSize())).isEqualTo(expected);
  }

  /** Expected proofs: transparency-dev/merkle proof/verify_test.go, via {@link ProofVerifierTest#knownConsistencyProofs()}. */
  @ParameterizedTest
  @MethodSource("org.trailbook.merkle.ProofVerifierTest#knownConsistencyProofs")
  void buildsTheKnownConsistencyProofsFromStoredNodes(ConsistencyProof expected) {
    assertThat(ProofBuilder.consistencyProof(VECTOR_NODES, expected.fromSize(), expected.toSize())).isEqualTo(expected);
  }

  /** Roots for sizes 0..8: RootHashes() in transparency-dev/merkle testonly/constants.go. */
  @Test
  void buildsTheKnownRootsFromStoredNodes() {
    for (int size = 0; size <= 8; size++) {
      assertThat(ProofBuilder.root(VECTOR_NODES, size)).as("root at %d", size).isEqualTo(Rfc6962Vectors.ROOTS.get(size));
    }
  }

  @Test
  void plansInclusionWithTheIncompleteBorderAsOneSubtree() {
    assertThat(ProofBuilder.planInclusion(1, 5))
        .containsExactly(new Subtree(0, 1), new Subtree(2, 4), new Subtree(4, 5));
    assertThat(ProofBuilder.planInclusion(0, 7))
        .containsExactly(new Subtree(1, 2), new Subtree(2, 4), new Subtree(4, 7));
  }

  @Test
  void plansNoConsistencyHashesFromZeroOrBetweenEqualSizes() {
    assertThat(ProofBuilder.planConsistency(0, 10)).isEmpty();
    assertThat(ProofBuilder.planConsistency(10, 10)).isEmpty();
  }

  @Test
  void rejectsLeafIndexesAndSizesOutOfBounds() {
    assertThatThrownBy(() -> ProofBuilder.planInclusion(9, 8)).isInstanceOf(InvalidInputException.class)
        .hasMessage("leafIndex 9 out of bounds for treeSize 8");
    assertThatThrownBy(() -> ProofBuilder.planInclusion(-1, 8)).isInstanceOf(InvalidInputException.class)
        .hasMessage("leafIndex -1 out of bounds for treeSize 8");
    assertThatThrownBy(() -> ProofBuilder.planConsistency(9, 8)).isInstanceOf(InvalidInputException.class)
        .hasMessage("fromSize 9 out of bounds for toSize 8");
  }

  @Property(tries = 300)
  void readsLogarithmicallyManyNodes(@ForAll @IntRange(min = 1, max = 1 << 20) int treeSize, @ForAll @IntRange(min = 0) int seed) {
    long leafIndex = Integer.remainderUnsigned(seed, treeSize);
    long fromSize = Integer.remainderUnsigned(seed * 31 + 7, treeSize + 1);
    int bound = 2 * (64 - Long.numberOfLeadingZeros(treeSize)) + 2;
    List<NodeId> reads = new ArrayList<>();
    NodeReader counting = (level, index) -> {
      reads.add(new NodeId(level, index));
      return Hash.ZERO;
    };
    ProofBuilder.inclusionProof(counting, leafIndex, treeSize);
    assertThat(reads).hasSizeLessThanOrEqualTo(bound).allMatch(id -> id.end() <= treeSize);
    reads.clear();
    ProofBuilder.consistencyProof(counting, fromSize, treeSize);
    assertThat(reads).hasSizeLessThanOrEqualTo(bound).allMatch(id -> id.end() <= treeSize);
  }

  /** Against the naive RFC recursion in {@link ReferenceTree}, over a reader that hashes complete subtrees naively too. */
  @Property(tries = 200)
  void buildsTheSameProofsAsTheReference(@ForAll @IntRange(min = 1, max = 600) int treeSize, @ForAll @IntRange(min = 0) int seed) {
    List<Hash> leaves = ReferenceTree.leaves(treeSize);
    ReferenceTree reference = new ReferenceTree(leaves);
    NodeReader naive = (level, index) -> new ReferenceTree(leaves.subList((int) (index << level), (int) ((index + 1) << level)))
        .root(1 << level);
    int leafIndex = Integer.remainderUnsigned(seed, treeSize);
    int fromSize = Integer.remainderUnsigned(seed * 31 + 7, treeSize + 1);
    assertThat(ProofBuilder.inclusionProof(naive, leafIndex, treeSize).hashes()).isEqualTo(reference.path(leafIndex, treeSize));
    assertThat(ProofBuilder.consistencyProof(naive, fromSize, treeSize).hashes()).isEqualTo(reference.proof(fromSize, treeSize));
    assertThat(ProofBuilder.root(naive, treeSize)).isEqualTo(reference.root(treeSize));
  }
}
