package org.trailbook;

/** The request collides with what exists, such as a workspace id already taken: 409. */
public class ConflictException extends TrailbookException {
  public ConflictException(String message) {
    super(message);
  }
}
