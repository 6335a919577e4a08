package org.trailbook.archive;

import java.util.List;
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.NodeReader;
import org.trailbook.merkle.ProofBuilder;
import org.trailbook.merkle.Subtree;

/**
 * A workspace tree's complete nodes, read through the inclusion proofs {@link LogIntegrity} serves (the tree itself
 * is the integrity package's). Node {@code [b, e)} is a sibling on the path of a neighbouring leaf: of leaf {@code
 * b - 1} in the tree of size {@code e} (it is that leaf's right neighbour subtree), or, for {@code b = 0}, of leaf
 * {@code e} in the tree of size {@code e + 1}. One proof (O(log n) node reads) per node; an archive needs at most
 * about 2·log2(n) nodes.
 */
final class ProvenNodes implements NodeReader {
  private final LogIntegrity integrity;
  private final String workspace;

  ProvenNodes(LogIntegrity integrity, String workspace) {
    this.integrity = integrity;
    this.workspace = workspace;
  }

  @Override
  public Hash node(int level, long index) {
    long begin = index << level;
    long end = (index + 1) << level;
    long leaf = begin > 0 ? begin - 1 : end;
    long size = begin > 0 ? end : end + 1;
    List<Subtree> plan = ProofBuilder.planInclusion(leaf, size);
    int at = plan.indexOf(new Subtree(begin, end));
    if (at < 0) throw new IllegalStateException("node [" + begin + ", " + end + ") is not on the path of leaf " + leaf + " in tree size " + size);
    return integrity.inclusionProof(workspace, leaf, size).hashes().get(at);
  }
}
