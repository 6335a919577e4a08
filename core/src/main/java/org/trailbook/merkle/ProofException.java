package org.trailbook.merkle;

import org.trailbook.TrailbookException;

/**
 * A Merkle proof that does not verify. When the failure is a root mismatch, {@link #expected()}
 * and {@link #calculated()} carry both roots; otherwise they are null and the message names the
 * offending index, size or proof length.
 */
public class ProofException extends TrailbookException {
  private final Hash expected;
  private final Hash calculated;

  public ProofException(String message) {
    this(message, null, null);
  }

  public ProofException(String message, Hash expected, Hash calculated) {
    super(message);
    this.expected = expected;
    this.calculated = calculated;
  }

  /** The root the caller expected, or null when the failure is not a root mismatch. */
  public Hash expected() {
    return expected;
  }

  /** The root calculated from the proof, or null when the failure is not a root mismatch. */
  public Hash calculated() {
    return calculated;
  }
}
