package org.trailbook.checkpoint;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/** The JDK's Ed25519 with raw RFC 8032 keys, and the signed-note key ID. */
final class Ed25519 {
  static final int KEY_SIZE = 32;
  static final int SIGNATURE_SIZE = 64;
  /** Signed-note signature type for Ed25519. */
  static final byte ALGORITHM = 0x01;
  /** The X.509 SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410): the raw key follows. */
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private Ed25519() {}

  static byte[] newSeed() {
    byte[] seed = new byte[KEY_SIZE];
    new SecureRandom().nextBytes(seed);
    return seed;
  }

  static PrivateKey privateKey(byte[] seed) {
    try {
      return KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed.clone()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK always has Ed25519", e);
    }
  }

  /**
   * The RFC 8032 public key of {@code seed}. The JDK derives public keys only while generating, so
   * the generator is fed the seed as its randomness, and the result is checked to hold that seed.
   */
  static byte[] publicKey(byte[] seed) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
      KeyPair pair = generator.generateKeyPair();
      byte[] generated = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
      if (!MessageDigest.isEqual(generated, seed)) throw new IllegalStateException("the Ed25519 generator did not use the given seed");
      byte[] spki = pair.getPublic().getEncoded();
      if (spki.length != SPKI_PREFIX.length + KEY_SIZE || !Arrays.equals(spki, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
        throw new IllegalStateException("unexpected Ed25519 public key encoding");
      }
      return Arrays.copyOfRange(spki, SPKI_PREFIX.length, spki.length);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK always has Ed25519", e);
    }
  }

  static byte[] sign(PrivateKey key, byte[] message) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(key);
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with Ed25519", e);
    }
  }

  /** False for a bad signature and for a public key that is not a valid point. */
  static boolean verify(byte[] publicKey, byte[] message, byte[] signatureBytes) {
    if (signatureBytes.length != SIGNATURE_SIZE) return false;
    try {
      byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + KEY_SIZE);
      System.arraycopy(publicKey, 0, spki, SPKI_PREFIX.length, KEY_SIZE);
      PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
      Signature signature = Signature.getInstance("Ed25519");
      signature.initVerify(key);
      signature.update(message);
      return signature.verify(signatureBytes);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** {@code SHA-256(key name || 0x0A || 0x01 || public key)[:4]}, big-endian. */
  static int keyId(String name, byte[] publicKey) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(name.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) '\n');
      sha256.update(ALGORITHM);
      sha256.update(publicKey);
      byte[] digest = sha256.digest();
      return (digest[0] & 0xff) << 24 | (digest[1] & 0xff) << 16 | (digest[2] & 0xff) << 8 | (digest[3] & 0xff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  static String hex(int keyId) {
    return HexFormat.of().toHexDigits(keyId);
  }

  /** Key names are non-empty and contain no Unicode spaces, pluses or control characters (C2SP signed-note). */
  static void checkKeyName(String name) {
    if (name == null || name.isEmpty()) throw new CheckpointException("key name is empty");
    if (name.codePoints().anyMatch(c -> c == '+' || c < 0x20 || Character.isWhitespace(c) || Character.isSpaceChar(c))) {
      throw new CheckpointException("key name '" + name + "' contains a space, plus or control character");
    }
  }

  /** Randomness that yields the given seed, once: lets the JDK generator derive the public key of a known seed. */
  private static final class SeedRandom extends SecureRandom {
    private final byte[] seed;

    SeedRandom(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (bytes.length != seed.length) throw new IllegalStateException("expected a request for " + seed.length + " bytes");
      System.arraycopy(seed, 0, bytes, 0, seed.length);
    }
  }
}
