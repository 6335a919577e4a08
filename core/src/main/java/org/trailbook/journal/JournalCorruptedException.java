package org.trailbook.journal;

import org.trailbook.TrailbookException;

/**
 * The journal holds damaged bytes before its tail: never repaired silently. Names the segment
 * file and offset, and what was expected there.
 */
public class JournalCorruptedException extends TrailbookException {
  public JournalCorruptedException(String message) {
    super(message);
  }
}
