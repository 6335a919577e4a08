package org.trailbook.http;

import org.trailbook.TrailbookException;

/**
 * A request body that did not arrive: too slowly or silent for too long (408), or cut short because
 * the client went away (400). Both are the client's doing, so neither is logged as a server error;
 * {@link BodyGate} logs one line per such request.
 */
final class RequestBodyException extends TrailbookException {
  /** Why the body did not arrive. */
  enum Kind {
    /** The body arrived slower than the minimum rate, or not at all within the idle timeout: 408. */
    TIMEOUT(408, "request_timeout"),
    /** The client closed the connection (or it broke) before the body was complete: 400. */
    INCOMPLETE(400, "body_incomplete");

    final int status;
    final String code;

    Kind(int status, String code) {
      this.status = status;
      this.code = code;
    }
  }

  final Kind kind;

  RequestBodyException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }
}
