package org.trailbook.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Verifies signed notes against one Ed25519 key given as a verifier-key string
 * {@code <name>+<8 hex key ID>+<base64(0x01 || public key)>} (Go sumdb/note, C2SP signed-note).
 * Signatures by other keys are ignored, as the spec requires; the note must carry at least one
 * signature by this key, and every such signature must verify.
 */
public final class NoteVerifier {
  private final String name;
  private final int keyId;
  private final byte[] publicKey;

  NoteVerifier(String name, byte[] publicKey) {
    Ed25519.checkKeyName(name);
    this.name = name;
    this.publicKey = publicKey.clone();
    this.keyId = Ed25519.keyId(name, publicKey);
  }

  /** Parses a verifier key, checking that its key ID is the one its name and public key give. */
  public static NoteVerifier parse(String verifierKey) {
    String[] fields = verifierKey.split("\\+", 3); // the base64 key may itself contain pluses
    if (fields.length != 3) {
      throw new CheckpointException("verifier key '" + verifierKey + "' is not <name>+<key id>+<base64 key>");
    }
    Ed25519.checkKeyName(fields[0]);
    int keyId = parseKeyId(fields[1], "verifier key '" + verifierKey + "'");
    byte[] key = decodeKey(fields[2], "verifier key '" + verifierKey + "'");
    NoteVerifier verifier = new NoteVerifier(fields[0], key);
    if (verifier.keyId != keyId) {
      throw new CheckpointException("verifier key '" + verifierKey + "' has key ID " + fields[1] + " but its name and key give "
          + Ed25519.hex(verifier.keyId));
    }
    return verifier;
  }

  public String name() {
    return name;
  }

  public int keyId() {
    return keyId;
  }

  /** {@code name+hexid}. */
  public String keyLabel() {
    return name + "+" + Ed25519.hex(keyId);
  }

  public String verifierKey() {
    byte[] encoded = new byte[1 + publicKey.length];
    encoded[0] = Ed25519.ALGORITHM;
    System.arraycopy(publicKey, 0, encoded, 1, publicKey.length);
    return keyLabel() + "+" + Base64.getEncoder().encodeToString(encoded);
  }

  /** Verifies a signed note and returns it; throws a {@link CheckpointException} saying what is wrong. */
  public SignedNote verify(String signedNote) {
    SignedNote note = SignedNote.parse(signedNote);
    List<SignedNote.Signature> ours = note.signatures().stream()
        .filter(s -> s.keyName().equals(name) && s.keyId() == keyId).toList();
    if (ours.isEmpty()) {
      throw new WrongKeyException("signed by key " + note.signatures().stream().map(SignedNote.Signature::keyLabel).collect(Collectors.joining(", "))
          + ", expected key " + keyLabel());
    }
    byte[] text = note.text().getBytes(StandardCharsets.UTF_8);
    for (SignedNote.Signature signature : ours) {
      if (!Ed25519.verify(publicKey, text, signature.signature())) {
        throw new CheckpointException("invalid signature for key " + keyLabel());
      }
    }
    return note;
  }

  /** Verifies a signed checkpoint and returns its body. */
  public Checkpoint verifyCheckpoint(String signedNote) {
    return Checkpoint.parse(verify(signedNote).text());
  }

  /** Verifies a signed checkpoint and checks that it is for {@code expectedOrigin}. */
  public Checkpoint verifyCheckpoint(String signedNote, String expectedOrigin) {
    Checkpoint checkpoint = verifyCheckpoint(signedNote);
    if (!checkpoint.origin().equals(expectedOrigin)) {
      throw new CheckpointException("checkpoint origin '" + checkpoint.origin() + "' is not the expected '" + expectedOrigin + "'");
    }
    return checkpoint;
  }

  @Override
  public String toString() {
    return verifierKey();
  }

  static int parseKeyId(String hex, String what) {
    if (hex.length() != 8 || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new CheckpointException(what + " has key ID '" + hex + "', not 8 lowercase hex digits");
    }
    return Integer.parseUnsignedInt(hex, 16);
  }

  /** Decodes {@code base64(0x01 || 32 bytes)} into the 32 bytes. Messages never show the bytes (they may be a private key). */
  static byte[] decodeKey(String base64, String what) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(what + " has a key that is not base64");
    }
    if (!Base64.getEncoder().encodeToString(bytes).equals(base64)) throw new CheckpointException(what + " has a key that is not canonical base64");
    if (bytes.length != 1 + Ed25519.KEY_SIZE) {
      throw new CheckpointException(what + " has a key of " + bytes.length + " bytes, expected " + (1 + Ed25519.KEY_SIZE));
    }
    if (bytes[0] != Ed25519.ALGORITHM) {
      throw new CheckpointException(what + " has signature type 0x" + Integer.toHexString(bytes[0] & 0xff) + ", only Ed25519 (0x01) is supported");
    }
    return java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
  }
}
