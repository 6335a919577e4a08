package org.trailbook.merkle;

import java.util.List;

/**
 * The consistency proof of RFC 9162 §2.1.4.1, {@code PROOF(fromSize, D[toSize])}: the hashes that
 * show the tree of size {@code fromSize} is a prefix of the tree of size {@code toSize}. It is empty
 * when {@code fromSize == toSize} and when {@code fromSize == 0}: every tree extends the empty tree
 * (the RFC defines proofs only for {@code 0 < fromSize < toSize}; {@link ProofVerifier} then only
 * checks that the old root is the empty-tree root).
 */
public record ConsistencyProof(long fromSize, long toSize, List<Hash> hashes) {
  public ConsistencyProof {
    if (fromSize < 0 || fromSize > toSize) {
      throw new IllegalArgumentException("fromSize " + fromSize + " out of bounds for toSize " + toSize);
    }
    hashes = List.copyOf(hashes);
  }
}
