package org.trailbook;

import java.nio.file.Path;

/**
 * A file's header names a format version this build cannot read: refused, never guessed at. A
 * newer version means a newer Trailbook wrote the data directory and this one must not touch it.
 */
public class UnsupportedFormatException extends TrailbookException {
  private final transient Path file;
  private final int found;

  public UnsupportedFormatException(Path file, String format, int found, int newest) {
    super(file + " is " + format + " format version " + found + ", "
        + (found > newest ? "written by a newer Trailbook: upgrade Trailbook to read it" : "which no Trailbook writes")
        + " (this build reads versions 0 to " + newest + ")");
    this.file = file;
    this.found = found;
  }

  /** The file refused. */
  public Path file() {
    return file;
  }

  /** The version its header names. */
  public int found() {
    return found;
  }
}
