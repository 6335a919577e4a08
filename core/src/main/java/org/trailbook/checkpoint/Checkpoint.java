package org.trailbook.checkpoint;

import java.util.Base64;
import org.trailbook.merkle.Hash;

/**
 * A C2SP tlog-checkpoint body: the log's {@code origin} (for Trailbook {@code <server name>/<workspace>}),
 * its {@code treeSize} and the RFC 9162 {@code rootHash} at that size. {@link #body()} produces the
 * three lines and no extension lines; {@link #parse} accepts extension lines and ignores them.
 */
public record Checkpoint(String origin, long treeSize, Hash rootHash) {
  public Checkpoint {
    if (origin == null || origin.isEmpty()) throw new CheckpointException("checkpoint origin is empty");
    if (origin.chars().anyMatch(c -> c < 0x20)) throw new CheckpointException("checkpoint origin contains a control character or newline");
    if (treeSize < 0) throw new CheckpointException("checkpoint treeSize " + treeSize + " is negative");
    if (rootHash == null) throw new CheckpointException("checkpoint rootHash is missing");
  }

  /** The note text: {@code origin\n treeSize\n base64(rootHash)\n}. */
  public String body() {
    return origin + "\n" + treeSize + "\n" + rootHash.base64() + "\n";
  }

  /** Parses a checkpoint body (the note text, ending in a newline); extension lines must be non-empty and are ignored. */
  public static Checkpoint parse(String body) {
    if (!body.endsWith("\n")) throw new CheckpointException("checkpoint body does not end in a newline");
    String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
    if (lines.length < 3) throw new CheckpointException("checkpoint body has " + lines.length + " lines, at least 3 needed");
    for (int i = 3; i < lines.length; i++) {
      if (lines[i].isEmpty()) throw new CheckpointException("checkpoint extension line " + (i + 1) + " is empty");
    }
    return new Checkpoint(lines[0], parseTreeSize(lines[1]), parseRootHash(lines[2]));
  }

  private static long parseTreeSize(String line) {
    if (line.isEmpty() || line.length() > 19 || !line.chars().allMatch(c -> c >= '0' && c <= '9')
        || (line.length() > 1 && line.charAt(0) == '0')) {
      throw new CheckpointException("checkpoint tree size '" + line + "' is not a decimal number without leading zeros");
    }
    try {
      return Long.parseLong(line);
    } catch (NumberFormatException e) {
      throw new CheckpointException("checkpoint tree size '" + line + "' is too large");
    }
  }

  private static Hash parseRootHash(String line) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(line);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("checkpoint root hash '" + line + "' is not base64");
    }
    if (bytes.length != Hash.SIZE || !Base64.getEncoder().encodeToString(bytes).equals(line)) {
      throw new CheckpointException("checkpoint root hash '" + line + "' is not the base64 of 32 bytes");
    }
    return Hash.of(bytes);
  }
}
