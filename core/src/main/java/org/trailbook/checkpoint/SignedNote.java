package org.trailbook.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP signed note: a {@code text} ending in a newline, a blank line, then one or more signature
 * lines {@code — <key name> <base64(key ID || signature)>}. Parsing checks only the format;
 * {@link NoteVerifier} checks signatures.
 */
public record SignedNote(String text, List<Signature> signatures) {
  /** At most this many signature lines (C2SP requires accepting at least 16; Go's sumdb/note allows 100). */
  public static final int MAX_SIGNATURES = 100;
  private static final String DASH = "\u2014 ";

  /** One signature line: the key name, and the base64 of the 4-byte big-endian key ID followed by the signature. */
  public record Signature(String keyName, String base64) {
    public Signature {
      Ed25519.checkKeyName(keyName);
      byte[] bytes = decode(base64);
      if (bytes.length < 5) throw new CheckpointException("signature by " + keyName + " has " + bytes.length + " bytes, too short for a key ID and a signature");
    }

    static Signature of(String keyName, int keyId, byte[] signature) {
      byte[] bytes = new byte[4 + signature.length];
      bytes[0] = (byte) (keyId >>> 24);
      bytes[1] = (byte) (keyId >>> 16);
      bytes[2] = (byte) (keyId >>> 8);
      bytes[3] = (byte) keyId;
      System.arraycopy(signature, 0, bytes, 4, signature.length);
      return new Signature(keyName, Base64.getEncoder().encodeToString(bytes));
    }

    public int keyId() {
      byte[] bytes = decode(base64);
      return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    /** The signature proper, without the key ID. */
    public byte[] signature() {
      byte[] bytes = decode(base64);
      return java.util.Arrays.copyOfRange(bytes, 4, bytes.length);
    }

    /** {@code name+hexid}, as errors name keys. */
    public String keyLabel() {
      return keyName + "+" + Ed25519.hex(keyId());
    }

    private static byte[] decode(String base64) {
      try {
        byte[] bytes = Base64.getDecoder().decode(base64);
        if (Base64.getEncoder().encodeToString(bytes).equals(base64)) return bytes;
      } catch (IllegalArgumentException e) {
        // reported below
      }
      throw new CheckpointException("signature '" + base64 + "' is not canonical base64");
    }
  }

  public SignedNote {
    checkCharacters(text, "note text");
    if (!text.endsWith("\n")) throw new CheckpointException("note text does not end in a newline");
    signatures = List.copyOf(signatures);
    if (signatures.isEmpty()) throw new CheckpointException("signed note has no signatures");
    if (signatures.size() > MAX_SIGNATURES) {
      throw new CheckpointException("signed note has " + signatures.size() + " signatures, at most " + MAX_SIGNATURES + " allowed");
    }
  }

  /** The note as text: the note text, a blank line, and the signature lines. */
  public String format() {
    StringBuilder note = new StringBuilder(text).append('\n');
    for (Signature signature : signatures) note.append(DASH).append(signature.keyName()).append(' ').append(signature.base64()).append('\n');
    return note.toString();
  }

  /** Parses a signed note; the text ends at the last blank line. Signatures are not verified here. */
  public static SignedNote parse(String note) {
    checkCharacters(note, "signed note");
    if (!note.endsWith("\n")) throw new CheckpointException("signed note does not end in a newline");
    int split = note.lastIndexOf("\n\n");
    if (split < 0) throw new CheckpointException("signed note has no blank line before its signatures");
    String text = note.substring(0, split + 1);
    if (split + 2 == note.length()) throw new CheckpointException("signed note has no signature lines");
    String[] lines = note.substring(split + 2, note.length() - 1).split("\n", -1);
    if (lines.length > MAX_SIGNATURES) {
      throw new CheckpointException("signed note has " + lines.length + " signature lines, at most " + MAX_SIGNATURES + " allowed");
    }
    List<Signature> signatures = new ArrayList<>(lines.length);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (!line.startsWith(DASH)) {
        throw new CheckpointException("signature line " + (i + 1) + " does not start with an em dash and a space");
      }
      String rest = line.substring(DASH.length());
      int space = rest.indexOf(' ');
      if (space <= 0 || rest.indexOf(' ', space + 1) >= 0) {
        throw new CheckpointException("signature line " + (i + 1) + " is not '— <key name> <base64 signature>'");
      }
      try {
        signatures.add(new Signature(rest.substring(0, space), rest.substring(space + 1)));
      } catch (CheckpointException e) {
        throw new CheckpointException("signature line " + (i + 1) + " is malformed: " + e.getMessage());
      }
    }
    return new SignedNote(text, signatures);
  }

  /** Valid UTF-8 (no lone surrogates) and no control characters but newline. */
  private static void checkCharacters(String s, String what) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n') throw new CheckpointException(what + " contains control character 0x" + Integer.toHexString(c) + " at " + i);
    }
    if (!StandardCharsets.UTF_8.newEncoder().canEncode(s)) throw new CheckpointException(what + " is not valid UTF-8");
  }
}
