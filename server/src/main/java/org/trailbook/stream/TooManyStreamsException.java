package org.trailbook.stream;

import org.trailbook.TrailbookException;

/**
 * A credential or a workspace already holds its share of live streams: answered 429 with {@code Retry-After}. (The
 * node's own cap is an {@link org.trailbook.OverloadedException}, 503: that is the server being full, not the caller
 * asking for too much.) The message names the cap and its setting.
 */
public final class TooManyStreamsException extends TrailbookException {
  private final int retryAfterSeconds;

  TooManyStreamsException(String message, int retryAfterSeconds) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
