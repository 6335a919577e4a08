package org.trailbook.checkpoint;

import org.trailbook.TrailbookException;

/** A checkpoint, signed note or key that is malformed or does not verify, or checkpoint storage that failed or is damaged. */
public class CheckpointException extends TrailbookException {
  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
