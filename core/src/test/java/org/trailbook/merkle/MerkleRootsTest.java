package org.trailbook.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MerkleRootsTest {
  /** Leaf inputs and RootHashes() for sizes 0..8 from transparency-dev/merkle testonly/constants.go. */
  @Test
  void givesTheKnownRootAtEverySize() {
    TreeHasher hasher = new TreeHasher();
    MerkleRoots roots = new MerkleRoots();
    assertThat(roots.root()).isEqualTo(Rfc6962Vectors.ROOTS.get(0));
    for (int i = 0; i < 8; i++) {
      roots.append(hasher.leafHash(Rfc6962Vectors.LEAF_INPUTS.get(i)));
      assertThat(roots.size()).isEqualTo(i + 1);
      assertThat(roots.root()).as("root at %d", i + 1).isEqualTo(Rfc6962Vectors.ROOTS.get(i + 1));
    }
  }

  @Property(tries = 30)
  void agreesWithTheReferenceAtEverySize(@ForAll @IntRange(min = 0, max = 700) int count) {
    List<Hash> leaves = ReferenceTree.leaves(count);
    ReferenceTree reference = new ReferenceTree(leaves);
    MerkleRoots roots = new MerkleRoots();
    for (int i = 0; i < count; i++) {
      roots.append(leaves.get(i));
      assertThat(roots.root()).isEqualTo(reference.root(i + 1));
    }
  }

  @Test
  void reportsEachCompletedNodeOnce() {
    MerkleRoots roots = new MerkleRoots();
    StringBuilder completed = new StringBuilder();
    for (Hash leaf : Rfc6962Vectors.leafHashes()) {
      roots.append(leaf, (level, index, hash) -> {
        assertThat(hash).isEqualTo(Rfc6962Vectors.node(level, index));
        completed.append(level).append('/').append(index).append(' ');
      });
    }
    assertThat(completed.toString().trim()).isEqualTo("0/0 0/1 1/0 0/2 0/3 1/1 2/0 0/4 0/5 1/2 0/6 0/7 1/3 2/1 3/0");
  }
}
