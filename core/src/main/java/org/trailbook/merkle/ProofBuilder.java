package org.trailbook.merkle;

import java.util.ArrayList;
import java.util.List;
import org.trailbook.InvalidInputException;

/**
 * Builds RFC 9162 proofs and roots from stored node hashes with O(log n) reads. Planning (which
 * subtrees a proof needs) is pure and separate from reading, so storage can batch or cache reads.
 */
public final class ProofBuilder {
  private ProofBuilder() {}

  /** The subtrees whose hashes form {@code PATH(leafIndex, D[treeSize])} (RFC 9162 §2.1.3.1), in proof order. */
  public static List<Subtree> planInclusion(long leafIndex, long treeSize) {
    checkLeafIndex(leafIndex, treeSize);
    List<Subtree> plan = new ArrayList<>();
    path(leafIndex, 0, treeSize, plan);
    return plan;
  }

  /** The subtrees whose hashes form {@code PROOF(fromSize, D[toSize])} (RFC 9162 §2.1.4.1), in proof order. */
  public static List<Subtree> planConsistency(long fromSize, long toSize) {
    checkSizes(fromSize, toSize);
    List<Subtree> plan = new ArrayList<>();
    if (fromSize > 0 && fromSize < toSize) subproof(fromSize, 0, toSize, true, plan);
    return plan;
  }

  public static InclusionProof inclusionProof(NodeReader reader, long leafIndex, long treeSize) {
    return new InclusionProof(leafIndex, treeSize, read(reader, planInclusion(leafIndex, treeSize)));
  }

  public static ConsistencyProof consistencyProof(NodeReader reader, long fromSize, long toSize) {
    return new ConsistencyProof(fromSize, toSize, read(reader, planConsistency(fromSize, toSize)));
  }

  /** {@code MTH(D[0:treeSize])}; the empty-tree root for size 0. */
  public static Hash root(NodeReader reader, long treeSize) {
    if (treeSize < 0) throw new InvalidInputException("out_of_range", "treeSize " + treeSize + " is negative");
    TreeHasher hasher = new TreeHasher();
    return treeSize == 0 ? hasher.emptyRoot() : new Subtree(0, treeSize).hash(reader, hasher);
  }

  private static List<Hash> read(NodeReader reader, List<Subtree> plan) {
    TreeHasher hasher = new TreeHasher();
    List<Hash> hashes = new ArrayList<>(plan.size());
    for (Subtree subtree : plan) hashes.add(subtree.hash(reader, hasher));
    return hashes;
  }

  /** PATH(m, D[begin:end]): the sub-path first, then the sibling. */
  private static void path(long m, long begin, long end, List<Subtree> out) {
    long n = end - begin;
    if (n == 1) return;
    long k = largestPowerOfTwoBelow(n);
    if (m < k) {
      path(m, begin, begin + k, out);
      out.add(new Subtree(begin + k, end));
    } else {
      path(m - k, begin + k, end, out);
      out.add(new Subtree(begin, begin + k));
    }
  }

  /** SUBPROOF(m, D[begin:end], b). */
  private static void subproof(long m, long begin, long end, boolean b, List<Subtree> out) {
    long n = end - begin;
    if (m == n) {
      if (!b) out.add(new Subtree(begin, end));
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(m, begin, begin + k, b, out);
      out.add(new Subtree(begin + k, end));
    } else {
      subproof(m - k, begin + k, end, false, out);
      out.add(new Subtree(begin, begin + k));
    }
  }

  /** The largest power of two strictly less than {@code n}, for {@code n > 1}. */
  static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }

  static void checkLeafIndex(long leafIndex, long treeSize) {
    if (leafIndex < 0 || leafIndex >= treeSize) {
      throw new InvalidInputException("out_of_range", "leafIndex " + leafIndex + " out of bounds for treeSize " + treeSize);
    }
  }

  static void checkSizes(long fromSize, long toSize) {
    if (fromSize < 0 || fromSize > toSize) {
      throw new InvalidInputException("out_of_range", "fromSize " + fromSize + " out of bounds for toSize " + toSize);
    }
  }
}
