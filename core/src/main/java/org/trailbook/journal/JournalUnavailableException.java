package org.trailbook.journal;

import org.trailbook.TrailbookException;

/**
 * The journal cannot take writes (a disk write or fsync failed; what reached the disk is settled
 * by recovery at the next start). Answered with 503.
 */
public class JournalUnavailableException extends TrailbookException {
  public JournalUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
