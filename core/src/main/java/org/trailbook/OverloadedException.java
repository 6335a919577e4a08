package org.trailbook;

/** More work than the server can take right now: answered with 503 and {@code Retry-After}. */
public class OverloadedException extends TrailbookException {
  private final int retryAfterSeconds;

  public OverloadedException(String message, int retryAfterSeconds) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
