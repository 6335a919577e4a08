package org.trailbook.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * Verifies proofs exactly as RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) describe,
 * after checking that the proof has the one length its sizes allow. Every failure throws a
 * {@link ProofException} naming what did not match. Depends on nothing but {@link TreeHasher}, so
 * an independent verifier can use it alone.
 */
public final class ProofVerifier {
  private ProofVerifier() {}

  /** Throws unless {@code proof} shows that {@code leafHash} is at {@code proof.leafIndex()} in the tree with root {@code root}. */
  public static void verifyInclusion(InclusionProof proof, Hash leafHash, Hash root) {
    Hash calculated = rootFromInclusionProof(proof, leafHash);
    if (!calculated.equals(root)) {
      throw new ProofException("inclusion proof for leafIndex " + proof.leafIndex() + " in treeSize " + proof.treeSize()
          + ": calculated root " + calculated + " does not match expected root " + root, root, calculated);
    }
  }

  /** The root that {@code proof} and {@code leafHash} imply (RFC 9162 §2.1.3.2 steps 1–4). */
  public static Hash rootFromInclusionProof(InclusionProof proof, Hash leafHash) {
    long leafIndex = proof.leafIndex();
    long treeSize = proof.treeSize();
    if (leafIndex < 0 || leafIndex >= treeSize) {
      throw new ProofException("leafIndex " + leafIndex + " out of bounds for treeSize " + treeSize);
    }
    int expected = inclusionProofLength(leafIndex, treeSize);
    if (proof.hashes().size() != expected) {
      throw new ProofException("inclusion proof for leafIndex " + leafIndex + " in treeSize " + treeSize + " has "
          + proof.hashes().size() + " hashes, expected " + expected);
    }
    TreeHasher hasher = new TreeHasher();
    long fn = leafIndex;
    long sn = treeSize - 1;
    Hash r = leafHash;
    for (Hash p : proof.hashes()) {
      if (sn == 0) throw new ProofException("inclusion proof for leafIndex " + leafIndex + " in treeSize " + treeSize + " is too long");
      if ((fn & 1) == 1 || fn == sn) {
        r = hasher.nodeHash(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = hasher.nodeHash(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) throw new ProofException("inclusion proof for leafIndex " + leafIndex + " in treeSize " + treeSize + " is too short");
    return r;
  }

  /** Throws unless {@code proof} shows that the tree with root {@code toRoot} extends the tree with root {@code fromRoot}. */
  public static void verifyConsistency(ConsistencyProof proof, Hash fromRoot, Hash toRoot) {
    long fromSize = proof.fromSize();
    long toSize = proof.toSize();
    List<Hash> hashes = proof.hashes();
    if (fromSize < 0 || fromSize > toSize) {
      throw new ProofException("fromSize " + fromSize + " out of bounds for toSize " + toSize);
    }
    int expected = consistencyProofLength(fromSize, toSize);
    if (hashes.size() != expected) {
      throw new ProofException("consistency proof from treeSize " + fromSize + " to " + toSize + " has " + hashes.size()
          + " hashes, expected " + expected);
    }
    if (fromSize == toSize) {
      if (!fromRoot.equals(toRoot)) {
        throw new ProofException("roots differ for the same treeSize " + fromSize + ": " + fromRoot + " and " + toRoot, fromRoot, toRoot);
      }
      return;
    }
    if (fromSize == 0) {
      Hash empty = new TreeHasher().emptyRoot();
      if (!fromRoot.equals(empty)) {
        throw new ProofException("root " + fromRoot + " for treeSize 0 is not the empty-tree root " + empty, empty, fromRoot);
      }
      return;
    }
    // RFC 9162 §2.1.4.2 steps 2–7.
    List<Hash> path = hashes;
    if (Long.bitCount(fromSize) == 1) {
      path = new ArrayList<>(hashes.size() + 1);
      path.add(fromRoot);
      path.addAll(hashes);
    }
    TreeHasher hasher = new TreeHasher();
    long fn = fromSize - 1;
    long sn = toSize - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    Hash fr = path.getFirst();
    Hash sr = fr;
    for (Hash c : path.subList(1, path.size())) {
      if (sn == 0) throw new ProofException("consistency proof from treeSize " + fromSize + " to " + toSize + " is too long");
      if ((fn & 1) == 1 || fn == sn) {
        fr = hasher.nodeHash(c, fr);
        sr = hasher.nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = hasher.nodeHash(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) throw new ProofException("consistency proof from treeSize " + fromSize + " to " + toSize + " is too short");
    if (!fr.equals(fromRoot)) {
      throw new ProofException("consistency proof from treeSize " + fromSize + " to " + toSize + ": calculated old root " + fr
          + " does not match expected " + fromRoot, fromRoot, fr);
    }
    if (!sr.equals(toRoot)) {
      throw new ProofException("consistency proof from treeSize " + fromSize + " to " + toSize + ": calculated new root " + sr
          + " does not match expected " + toRoot, toRoot, sr);
    }
  }

  /**
   * The number of hashes in {@code PATH(leafIndex, D[treeSize])}: one per level below the point where
   * the leaf's path leaves the tree's right border, plus one per left sibling on the border.
   */
  static int inclusionProofLength(long leafIndex, long treeSize) {
    int inner = 64 - Long.numberOfLeadingZeros(leafIndex ^ (treeSize - 1));
    return inner + Long.bitCount(leafIndex >>> inner);
  }

  /**
   * The number of hashes in {@code PROOF(fromSize, D[toSize])}: the inclusion path of the old tree's
   * largest complete right subtree within the new tree, plus that subtree's own hash unless it is
   * the whole old tree (the old size is a power of two).
   */
  static int consistencyProofLength(long fromSize, long toSize) {
    if (fromSize == 0 || fromSize == toSize) return 0;
    int shift = Long.numberOfTrailingZeros(fromSize);
    long fn = (fromSize - 1) >>> shift;
    long sn = (toSize - 1) >>> shift;
    int inner = 64 - Long.numberOfLeadingZeros(fn ^ sn);
    return inner + Long.bitCount(fn >>> inner) + (Long.bitCount(fromSize) == 1 ? 0 : 1);
  }
}
