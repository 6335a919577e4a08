package org.trailbook.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hashing of RFC 9162 §2.1.1: a leaf is {@code SHA-256(0x00 || entry)}, an interior node
 * {@code SHA-256(0x01 || left || right)}. Not thread-safe (it reuses one digest): use one per thread.
 */
public final class TreeHasher {
  private final MessageDigest sha256;

  public TreeHasher() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  public Hash leafHash(byte[] entry) {
    return leafHash(entry, 0, entry.length);
  }

  public Hash leafHash(byte[] entry, int offset, int length) {
    sha256.update((byte) 0x00);
    sha256.update(entry, offset, length);
    return Hash.wrap(sha256.digest());
  }

  public Hash nodeHash(Hash left, Hash right) {
    sha256.update((byte) 0x01);
    sha256.update(left.bytesUnsafe());
    sha256.update(right.bytesUnsafe());
    return Hash.wrap(sha256.digest());
  }

  /** The root of the empty tree: SHA-256 of the empty string. */
  public Hash emptyRoot() {
    return Hash.wrap(sha256.digest());
  }
}
