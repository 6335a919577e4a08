package org.trailbook.export;

import org.trailbook.TrailbookException;

/** A workspace started its hourly allowance of export jobs: answered 429 with {@code Retry-After}. */
public final class TooManyExportsException extends TrailbookException {
  private final int retryAfterSeconds;

  public TooManyExportsException(String message, int retryAfterSeconds) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
