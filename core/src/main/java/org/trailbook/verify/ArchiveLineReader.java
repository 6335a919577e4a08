package org.trailbook.verify;

import java.io.IOException;
import java.io.InputStream;

/** Reads lines ending in {@code '\n'} as bytes, exactly (a final line without one is returned too). */
final class ArchiveLineReader {
  private final InputStream in;
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;

  ArchiveLineReader(InputStream in) {
    this.in = in;
  }

  /** The next line without its {@code '\n'}, or null at the end. */
  byte[] next() throws IOException {
    java.io.ByteArrayOutputStream line = null;
    while (true) {
      if (position == limit) {
        limit = in.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return line == null ? null : line.toByteArray();
        }
      }
      int start = position;
      while (position < limit && buffer[position] != '\n') position++;
      if (line == null) line = new java.io.ByteArrayOutputStream(Math.max(256, position - start));
      line.write(buffer, start, position - start);
      if (line.size() > ArchiveVerifier.MAX_LINE) throw new IOException("a line is longer than " + ArchiveVerifier.MAX_LINE + " bytes");
      if (position < limit) {
        position++; // the '\n'
        return line.toByteArray();
      }
    }
  }
}
