package org.trailbook.access;

import org.trailbook.TrailbookException;

/** A credential that is missing or unknown ({@code unauthenticated}, 401) or lacks a right (403). */
public class AccessDeniedException extends TrailbookException {
  private final boolean unauthenticated;

  private AccessDeniedException(String message, boolean unauthenticated) {
    super(message);
    this.unauthenticated = unauthenticated;
  }

  public static AccessDeniedException unauthenticated(String message) {
    return new AccessDeniedException(message, true);
  }

  public static AccessDeniedException forbidden(String message) {
    return new AccessDeniedException(message, false);
  }

  public boolean unauthenticated() {
    return unauthenticated;
  }
}
