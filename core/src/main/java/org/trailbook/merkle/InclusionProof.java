package org.trailbook.merkle;

import java.util.List;

/**
 * The audit path of RFC 9162 §2.1.3.1, {@code PATH(leafIndex, D[treeSize])}: the sibling hashes
 * from the leaf up to the root, bottom first. Verify it with {@link ProofVerifier}.
 */
public record InclusionProof(long leafIndex, long treeSize, List<Hash> hashes) {
  public InclusionProof {
    if (treeSize < 0) throw new IllegalArgumentException("treeSize " + treeSize + " is negative");
    if (leafIndex < 0 || leafIndex >= treeSize) {
      throw new IllegalArgumentException("leafIndex " + leafIndex + " out of bounds for treeSize " + treeSize);
    }
    hashes = List.copyOf(hashes);
  }
}
