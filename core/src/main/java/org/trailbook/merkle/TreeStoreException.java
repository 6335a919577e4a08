package org.trailbook.merkle;

import org.trailbook.TrailbookException;

/** The node files of a {@link TreeStore} could not be read or written, or hold a state it refuses to trust. */
public class TreeStoreException extends TrailbookException {
  public TreeStoreException(String message) {
    super(message);
  }

  public TreeStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
