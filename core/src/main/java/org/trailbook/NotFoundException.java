package org.trailbook;

/** The thing asked for does not exist (or is not visible to the caller): 404. */
public class NotFoundException extends TrailbookException {
  public NotFoundException(String message) {
    super(message);
  }
}
