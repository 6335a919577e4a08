package org.trailbook.checkpoint;

/**
 * A signed note that carries no signature by the expected key but by others: most often the wrong
 * verifier key was given, else the note was re-signed by someone else. Either way it does not verify.
 */
public final class WrongKeyException extends CheckpointException {
  public WrongKeyException(String message) {
    super(message);
  }
}
