package org.trailbook.merkle;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** A SHA-256 value: 32 immutable bytes, shown as lowercase hex or base64, compared in constant time. */
public final class Hash {
  public static final int SIZE = 32;
  /** The {@code prev_hash} of entry 0: 32 zero bytes. */
  public static final Hash ZERO = new Hash(new byte[SIZE]);

  private final byte[] bytes;

  private Hash(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Hash of(byte[] bytes) {
    if (bytes.length != SIZE) throw new IllegalArgumentException("a hash has 32 bytes, not " + bytes.length);
    return new Hash(bytes.clone());
  }

  /** Wraps without copying: only for arrays the caller never touches again. */
  static Hash wrap(byte[] bytes) {
    if (bytes.length != SIZE) throw new IllegalArgumentException("a hash has 32 bytes, not " + bytes.length);
    return new Hash(bytes);
  }

  public static Hash fromHex(String hex) {
    if (hex.length() != 2 * SIZE) throw new IllegalArgumentException("a hash has 64 hex digits, not " + hex.length());
    return new Hash(HexFormat.of().parseHex(hex));
  }

  public static Hash fromBase64(String base64) {
    return of(Base64.getDecoder().decode(base64));
  }

  /** The backing array itself, for hashing inside this package without a copy. */
  byte[] bytesUnsafe() {
    return bytes;
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Copies the 32 bytes into {@code dst} at {@code offset}. */
  public void copyTo(byte[] dst, int offset) {
    System.arraycopy(bytes, 0, dst, offset, SIZE);
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  public String base64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hash h && MessageDigest.isEqual(bytes, h.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
