package org.trailbook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The header at the start of every binary file Trailbook writes, in the spirit of Lucene's
 * {@code CodecUtil}: it names the format and its version, so a file is never read as something it
 * is not, and a file written by a newer Trailbook is refused instead of misread (see
 * docs/adr/0002-file-format-versions.md).
 *
 * <pre>
 * header = magic:4 (D7 54 42 46) nameLength:1 name (ASCII) version:4 crc32c(all before):4
 * </pre>
 *
 * Integers are big-endian. Files written before headers existed are version 0: they start with
 * their data. {@link #probe} tells the three cases apart: a header (checked, its version
 * supported), no header (version 0), or a damaged header. A file claims a header if it starts with
 * the magic <em>or</em> holds this format's name where the header keeps it, so one flipped byte in
 * either still reads as a damaged header rather than as version-0 data. 0xD7 starts no JSON text
 * and no journal group header (FE FE), and no length prefix under 16 MiB.
 */
public final class FileFormat {
  static final int MAGIC = 0xD7544246;

  /** What the first bytes of a file say about its format. */
  public sealed interface Probe permits Headed, Headerless, Damaged {}

  /** A sound header: the data starts at {@code length}. */
  public record Headed(int version, int length) implements Probe {}

  /** No header: a file written before headers existed (version 0), or an empty one. */
  public record Headerless() implements Probe {}

  /** The file claims a header but it is not sound: {@code problem} says why. */
  public record Damaged(String problem) implements Probe {}

  private final String name;
  private final int current;
  private final byte[] nameBytes;

  /** A format {@code name} (ASCII, up to 64 characters) whose newest version is {@code current} (at least 1). */
  public FileFormat(String name, int current) {
    if (name.isEmpty() || name.length() > 64 || !StandardCharsets.US_ASCII.newEncoder().canEncode(name) || current < 1) {
      throw new IllegalArgumentException("bad format " + name + " v" + current);
    }
    this.name = name;
    this.current = current;
    this.nameBytes = name.getBytes(StandardCharsets.US_ASCII);
  }

  public String name() {
    return name;
  }

  /** The version this build writes, and the newest it reads. */
  public int current() {
    return current;
  }

  /** The length of this format's header. */
  public int headerLength() {
    return 4 + 1 + nameBytes.length + 4 + 4;
  }

  /** The header of the current version. */
  public byte[] header() {
    return header(current);
  }

  /** The header of {@code version}: only tests write another version than the current one. */
  public byte[] header(int version) {
    ByteBuffer b = ByteBuffer.allocate(headerLength());
    b.putInt(MAGIC).put((byte) nameBytes.length).put(nameBytes).putInt(version);
    b.putInt(crc(b.array(), b.position()));
    return b.array();
  }

  /**
   * Reads the first {@code n} bytes of {@code file} (all of it if it is shorter than a header).
   *
   * @throws UnsupportedFormatException if the header is sound but names a version this build does not read
   */
  public Probe probe(Path file, byte[] first, int n) {
    if (!claimsHeader(first, n)) return new Headerless();
    if (n < 5) return new Damaged("its header is incomplete (" + n + " bytes)");
    int nameLength = first[4] & 0xFF;
    int length = 4 + 1 + nameLength + 4 + 4;
    if (n < length) return new Damaged("its header is incomplete (" + n + " of " + length + " bytes)");
    ByteBuffer b = ByteBuffer.wrap(first, 0, n);
    if (b.getInt(length - 4) != crc(first, length - 4)) return new Damaged("its header fails its CRC32C");
    String found = new String(first, 5, nameLength, StandardCharsets.US_ASCII);
    if (b.getInt(0) != MAGIC || !found.equals(name)) return new Damaged("its header names format '" + found + "', not '" + name + "'");
    int version = b.getInt(5 + nameLength);
    if (version < 1 || version > current) throw new UnsupportedFormatException(file, name, version, current);
    return new Headed(version, length);
  }

  /** Reads the start of {@code channel}'s file and probes it. */
  public Probe probe(Path file, FileChannel channel) throws IOException {
    int n = (int) Math.min(channel.size(), 4 + 1 + 255 + 8);
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (channel.read(b, b.position()) < 0) break;
    }
    return probe(file, b.array(), b.position());
  }

  private boolean claimsHeader(byte[] first, int n) {
    if (n == 0) return false;
    boolean magic = true;
    for (int i = 0; i < Math.min(n, 4); i++) magic &= first[i] == (byte) (MAGIC >>> (24 - 8 * i));
    if (magic) return true;
    if (n < 5 + nameBytes.length) return false;
    for (int i = 0; i < nameBytes.length; i++) if (first[5 + i] != nameBytes[i]) return false;
    return true;
  }

  private static int crc(byte[] bytes, int length) {
    CRC32C c = new CRC32C();
    c.update(bytes, 0, length);
    return (int) c.getValue();
  }
}
