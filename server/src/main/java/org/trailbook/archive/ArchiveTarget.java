package org.trailbook.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where archives go: a directory ({@link DirectoryTarget}) or S3-compatible object storage ({@link S3Target}). An
 * archive is stored as {@code <workspace>/<name>} and appears whole or not at all.
 */
public interface ArchiveTarget extends AutoCloseable {
  /** A workspace or archive name: one path segment, so neither can reach outside the target. */
  Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,254}");

  /** One stored archive. */
  record Stored(String workspace, String name, long bytes, String location) {}

  /**
   * Stores {@code file} as {@code workspace/name}, replacing an archive of that name (readers see the old or the new
   * one whole), and returns its location.
   */
  String put(String workspace, String name, Path file) throws IOException;

  /** The workspace's archives, by name (names sort in seq order). */
  List<Stored> list(String workspace) throws IOException;

  /** Reads one archive; {@link java.nio.file.NoSuchFileException} if there is none of that name. */
  InputStream open(String workspace, String name) throws IOException;

  /** Where archives go, for logs and the API ({@code file:///…}, {@code s3://bucket/prefix}). */
  String describe();

  @Override
  void close();

  static void checkSegment(String what, String value) {
    if (value == null || !SEGMENT.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " '" + value + "' is not 1 to 255 letters, digits, '.', '_' or '-' (starting with a letter, digit or '_')");
    }
  }
}
