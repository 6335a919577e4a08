package org.trailbook.merkle;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A naive reference written straight from RFC 9162 §2.1.1 (MTH), §2.1.3.1 (PATH) and §2.1.4.1
 * (PROOF, SUBPROOF): recursive over lists, no storage, no cleverness. Test-only.
 */
final class ReferenceTree {
  private final TreeHasher hasher = new TreeHasher();
  private final List<Hash> leaves;

  ReferenceTree(List<Hash> leaves) {
    this.leaves = List.copyOf(leaves);
  }

  /** Deterministic distinct leaf hashes: leaf i is the leaf hash of the 8-byte big-endian i. */
  static List<Hash> leaves(int count) {
    TreeHasher hasher = new TreeHasher();
    List<Hash> leaves = new ArrayList<>(count);
    for (int i = 0; i < count; i++) leaves.add(hasher.leafHash(ByteBuffer.allocate(8).putLong(i).array()));
    return leaves;
  }

  Hash root(int size) {
    return mth(leaves.subList(0, size));
  }

  List<Hash> path(int m, int size) {
    return path(m, leaves.subList(0, size));
  }

  List<Hash> proof(int m, int size) {
    if (m == 0 || m == size) return List.of();
    return subproof(m, leaves.subList(0, size), true);
  }

  private Hash mth(List<Hash> d) {
    int n = d.size();
    if (n == 0) return hasher.emptyRoot();
    if (n == 1) return d.get(0);
    int k = k(n);
    return hasher.nodeHash(mth(d.subList(0, k)), mth(d.subList(k, n)));
  }

  private List<Hash> path(int m, List<Hash> d) {
    int n = d.size();
    if (n == 1) return List.of();
    int k = k(n);
    List<Hash> result = new ArrayList<>();
    if (m < k) {
      result.addAll(path(m, d.subList(0, k)));
      result.add(mth(d.subList(k, n)));
    } else {
      result.addAll(path(m - k, d.subList(k, n)));
      result.add(mth(d.subList(0, k)));
    }
    return result;
  }

  private List<Hash> subproof(int m, List<Hash> d, boolean b) {
    int n = d.size();
    if (m == n) return b ? List.of() : List.of(mth(d));
    int k = k(n);
    List<Hash> result = new ArrayList<>();
    if (m <= k) {
      result.addAll(subproof(m, d.subList(0, k), b));
      result.add(mth(d.subList(k, n)));
    } else {
      result.addAll(subproof(m - k, d.subList(k, n), false));
      result.add(mth(d.subList(0, k)));
    }
    return result;
  }

  /** The largest power of two smaller than n. */
  private static int k(int n) {
    int k = 1;
    while (k << 1 < n) k <<= 1;
    return k;
  }
}
