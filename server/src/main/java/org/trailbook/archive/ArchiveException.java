package org.trailbook.archive;

import org.trailbook.TrailbookException;

/** An archive could not be written, stored or read: the range must not be purged. */
public final class ArchiveException extends TrailbookException {
  public ArchiveException(String message) {
    super(message);
  }

  public ArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
