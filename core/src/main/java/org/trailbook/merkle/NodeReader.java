package org.trailbook.merkle;

/**
 * Reads stored node hashes. The node at {@code level} L and {@code index} i is the root of the
 * complete subtree over leaves {@code [i * 2^L, (i + 1) * 2^L)}; level 0 holds the leaf hashes.
 * {@link ProofBuilder} asks only for nodes that exist in the tree being proven.
 */
@FunctionalInterface
public interface NodeReader {
  Hash node(int level, long index);
}
