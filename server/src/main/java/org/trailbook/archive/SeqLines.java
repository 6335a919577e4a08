package org.trailbook.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.trailbook.Json;

/**
 * Seeks in a file of canonical entries, one a line in increasing seq order (a restored view's entries): a binary search
 * on byte offsets finds the first line after a seq in O(log size) short reads, so a page deep in a large view does not
 * read and parse every line before it.
 */
final class SeqLines {
  private static final int CHUNK = 8192;

  private SeqLines() {}

  /** The offset of the first line whose seq is above {@code afterSeq}; the file's size if there is none. */
  static long firstAfter(FileChannel file, long afterSeq) throws IOException {
    long size = file.size();
    // the seq of the first line starting at or after an offset never decreases with the offset: find the least
    // offset whose line is above afterSeq, then the line starting there
    long lo = 0;
    long hi = size;
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      long start = lineStart(file, mid, size);
      if (start < size && seqAt(file, start) <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    return lineStart(file, lo, size);
  }

  /** The first line start at or after {@code offset}: the offset itself at 0 or just after a line break. */
  private static long lineStart(FileChannel file, long offset, long size) throws IOException {
    if (offset == 0) return 0;
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    for (long p = offset - 1; p < size; p += buffer.limit()) {
      buffer.clear();
      if (file.read(buffer, p) <= 0) break;
      buffer.flip();
      for (int i = 0; i < buffer.limit(); i++) if (buffer.get(i) == '\n') return p + i + 1;
    }
    return size;
  }

  /** The seq of the line starting at {@code start}. */
  private static long seqAt(FileChannel file, long start) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    for (long p = start; ; p += buffer.limit()) {
      buffer.clear();
      if (file.read(buffer, p) <= 0) break;
      buffer.flip();
      int end = 0;
      while (end < buffer.limit() && buffer.get(end) != '\n') end++;
      line.write(buffer.array(), 0, end);
      if (end < buffer.limit()) break;
    }
    return Json.MAPPER.readTree(line.toByteArray()).path("seq").asLong();
  }
}
