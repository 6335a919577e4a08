package org.trailbook.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * {@link JournalReader}'s view of the segment being read: one reusable buffer (1 MiB, grown for
 * larger groups) that positional reads fill a megabyte at a time, so a scan of the journal costs a
 * system call per megabyte rather than two per group, and allocates nothing per group. Also the
 * search for the next group header after damage, which is rare and reads in its own chunks.
 */
final class SegmentWindow {
  private static final int WINDOW = 1 << 20;
  private static final int SEARCH_CHUNK = 1 << 16;

  private byte[] bytes = new byte[WINDOW];
  private ByteBuffer view = ByteBuffer.wrap(bytes);
  private FileChannel channel;
  private Path file;
  private long size;
  private long start;
  private int length;

  /** Reads {@code channel} ({@code file}, {@code size} bytes) from now on; forgets what the window held. */
  void reset(FileChannel channel, Path file, long size) {
    this.channel = channel;
    this.file = file;
    this.size = size;
    this.start = 0;
    this.length = 0;
  }

  /** The window's bytes; valid at the index {@link #fill} returned until the next fill. */
  byte[] bytes() {
    return bytes;
  }

  /** The window's bytes as a big-endian buffer for absolute gets. */
  ByteBuffer view() {
    return view;
  }

  /** Makes bytes {@code [at, at + count)} of the segment (which must lie within it) available; returns their index in the window. */
  int fill(long at, int count) throws IOException {
    if (at >= start && at + count <= start + length) return (int) (at - start);
    if (count > bytes.length) {
      bytes = new byte[count];
      view = ByteBuffer.wrap(bytes);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, 0, (int) Math.min(bytes.length, size - at));
    while (b.position() < count) {
      if (channel.read(b, at + b.position()) < 0) throw new IOException("unexpected end of " + file + " at " + (at + b.position()));
    }
    start = at;
    length = b.position();
    return 0;
  }

  /**
   * The offset of the first valid group header in {@code [from, end)} of {@code ch} whose groupSeq
   * is at least {@code minGroupSeq}, with that groupSeq in {@code foundSeq[0]}; -1 if there is none.
   */
  static long search(FileChannel ch, long from, long end, long minGroupSeq, long[] foundSeq) throws IOException {
    for (long at = from; at + JournalFormat.HEADER_BYTES <= end; at += SEARCH_CHUNK) {
      int count = (int) Math.min(SEARCH_CHUNK + JournalFormat.HEADER_BYTES, end - at);
      ByteBuffer buf = ByteBuffer.allocate(count);
      while (buf.hasRemaining()) {
        if (ch.read(buf, at + buf.position()) < 0) throw new IOException("unexpected end of journal segment at " + (at + buf.position()));
      }
      for (int i = 0; i + JournalFormat.HEADER_BYTES <= count && i < SEARCH_CHUNK; i++) {
        if (buf.get(i) != (byte) 0xFE || buf.get(i + 1) != (byte) 0xFE) continue;
        JournalFormat.Header h = JournalFormat.readHeader(buf.position(i));
        if (h != null && h.groupSeq() >= minGroupSeq) {
          foundSeq[0] = h.groupSeq();
          return at + i;
        }
      }
    }
    return -1;
  }
}
