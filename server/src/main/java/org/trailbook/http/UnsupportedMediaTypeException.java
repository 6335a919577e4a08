package org.trailbook.http;

import org.trailbook.TrailbookException;

/** A request body in a content type the endpoint does not take: 415. */
final class UnsupportedMediaTypeException extends TrailbookException {
  UnsupportedMediaTypeException(String message) {
    super(message);
  }
}
