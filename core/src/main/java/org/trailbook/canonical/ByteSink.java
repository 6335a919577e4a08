package org.trailbook.canonical;

import java.util.Arrays;

/**
 * A growable byte buffer without the per-call locking of {@link java.io.ByteArrayOutputStream}:
 * canonical serialization writes byte by byte on the hot path of ingest.
 */
public final class ByteSink {
  private byte[] buf;
  private int size;

  public ByteSink(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  public void write(int b) {
    if (size == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
    buf[size++] = (byte) b;
  }

  public void write(byte[] b) {
    write(b, 0, b.length);
  }

  public void write(byte[] b, int off, int len) {
    if (size + len > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + len));
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  /**
   * Appends {@code s[from, to)} as UTF-8 if every char there is ASCII, and returns true; else
   * appends nothing and returns false.
   */
  public boolean writeAscii(String s, int from, int to) {
    int len = to - from;
    if (size + len > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + len));
    byte[] b = buf;
    int at = size;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) return false;
      b[at++] = (byte) c;
    }
    size = at;
    return true;
  }

  public int size() {
    return size;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
