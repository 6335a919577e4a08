package org.trailbook.verify;

/**
 * The first thing found wrong with a log, in plain words: about an entry ({@code seq} ≥ 0,
 * {@code checkpointSize} -1) or about a checkpoint ({@code checkpointSize} ≥ 0, {@code seq} -1).
 */
public record Failure(long seq, long checkpointSize, String message) {
  static Failure atSeq(long seq, String message) {
    return new Failure(seq, -1, message);
  }

  static Failure atCheckpoint(long treeSize, String message) {
    return new Failure(-1, treeSize, message);
  }
}
