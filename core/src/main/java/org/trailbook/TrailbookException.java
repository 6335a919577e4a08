package org.trailbook;

/**
 * The one unchecked exception root of Trailbook. Subclasses are named for what failed and carry
 * the values that explain it; the HTTP layer and the CLI each map them to a status or exit code in
 * one place. Messages never contain event payloads or secrets.
 */
public class TrailbookException extends RuntimeException {
  public TrailbookException(String message) {
    super(message);
  }

  public TrailbookException(String message, Throwable cause) {
    super(message, cause);
  }
}
