package org.trailbook.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads and rewrites journal segments the way an attacker with the documented format would, with
 * its own code (not the journal's): every checksum is recomputed, so only the hash chain, the tree
 * and the signed checkpoints can tell that something changed.
 */
public final class JournalFiles {
  /** One frame's payload. */
  public record Frame(String workspace, String id, long seq, byte[] canonical) {
    public String text() {
      return new String(canonical, StandardCharsets.UTF_8);
    }

    public Frame withText(String text) {
      return new Frame(workspace, id, seq, text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private JournalFiles() {}

  public static Path segment(Path dataDir) {
    return dataDir.resolve("journal").resolve("segment-0000000000.wal");
  }

  /**
   * The length of the file header a segment starts with: magic D7 54 42 46, name length, name,
   * version (4), CRC32C (4); 0 for a version 0 segment, which has none.
   */
  public static int headerLength(byte[] segment) {
    if (segment.length < 5 || ByteBuffer.wrap(segment).getInt(0) != 0xD7544246) return 0;
    return 4 + 1 + (segment[4] & 0xFF) + 4 + 4;
  }

  /** Every frame of every group of the first segment, in file order. */
  public static List<Frame> read(Path dataDir) {
    try {
      byte[] bytes = Files.readAllBytes(segment(dataDir));
      ByteBuffer b = ByteBuffer.wrap(bytes);
      b.position(headerLength(bytes));
      List<Frame> frames = new ArrayList<>();
      while (b.remaining() >= 24) {
        if (b.getInt() != 0xFEFE5442) throw new IllegalStateException("no group header at " + (b.position() - 4));
        b.getLong();
        int count = b.getInt();
        b.getInt();
        b.getInt();
        for (int i = 0; i < count; i++) {
          int length = b.getInt();
          b.getInt();
          byte[] payload = new byte[length];
          b.get(payload);
          ByteBuffer p = ByteBuffer.wrap(payload);
          byte[] ws = new byte[p.get() & 0xFF];
          p.get(ws);
          byte[] id = new byte[p.get() & 0xFF];
          p.get(id);
          long seq = p.getLong();
          byte[] canonical = new byte[p.remaining()];
          p.get(canonical);
          frames.add(new Frame(new String(ws, StandardCharsets.US_ASCII), new String(id, StandardCharsets.UTF_8), seq, canonical));
        }
      }
      return frames;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Replaces the journal with one segment holding {@code frames} as one group, every CRC correct,
   * behind the same file header the first segment had (none if it had none).
   */
  public static void write(Path dataDir, List<Frame> frames) {
    byte[] header;
    try {
      byte[] old = Files.readAllBytes(segment(dataDir));
      header = java.util.Arrays.copyOf(old, headerLength(old));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<byte[]> encoded = new ArrayList<>();
    int body = 0;
    for (Frame f : frames) {
      byte[] ws = f.workspace().getBytes(StandardCharsets.US_ASCII);
      byte[] id = f.id().getBytes(StandardCharsets.UTF_8);
      ByteBuffer payload = ByteBuffer.allocate(1 + ws.length + 1 + id.length + 8 + f.canonical().length);
      payload.put((byte) ws.length).put(ws).put((byte) id.length).put(id).putLong(f.seq()).put(f.canonical());
      ByteBuffer frame = ByteBuffer.allocate(8 + payload.capacity());
      frame.putInt(payload.capacity()).putInt(crc(payload.array(), 0, payload.capacity())).put(payload.array());
      encoded.add(frame.array());
      body += frame.capacity();
    }
    ByteBuffer out = ByteBuffer.allocate(24 + body);
    out.putInt(0xFEFE5442).putLong(0).putInt(frames.size()).putInt(body);
    out.putInt(crc(out.array(), 0, 20));
    for (byte[] f : encoded) out.put(f);
    try {
      try (var files = Files.list(dataDir.resolve("journal"))) {
        for (Path p : files.toList()) Files.delete(p);
      }
      Files.write(segment(dataDir), header);
      Files.write(segment(dataDir), out.array(), java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The index in {@code frames} of the frame of {@code workspace} at {@code seq}. */
  public static int indexOf(List<Frame> frames, String workspace, long seq) {
    for (int i = 0; i < frames.size(); i++) {
      if (frames.get(i).workspace().equals(workspace) && frames.get(i).seq() == seq) return i;
    }
    throw new IllegalArgumentException("no frame " + workspace + "/" + seq);
  }

  /**
   * Rewrites the canonical bytes of one frame in place (same length) and recomputes its CRC, writing
   * only those bytes, as an attacker editing a live server's journal would.
   */
  public static void replaceInPlace(Path dataDir, String workspace, long seq, java.util.function.UnaryOperator<String> edit) {
    Path file = segment(dataDir);
    try {
      byte[] bytes = Files.readAllBytes(file);
      ByteBuffer b = ByteBuffer.wrap(bytes);
      b.position(headerLength(bytes));
      while (b.remaining() >= 24) {
        b.position(b.position() + 12);
        int count = b.getInt();
        b.position(b.position() + 8);
        for (int i = 0; i < count; i++) {
          int frameAt = b.position();
          int length = b.getInt();
          b.getInt();
          byte[] payload = new byte[length];
          b.get(payload);
          int wsLength = payload[0] & 0xFF;
          String ws = new String(payload, 1, wsLength, StandardCharsets.US_ASCII);
          int idLength = payload[1 + wsLength] & 0xFF;
          int seqAt = 2 + wsLength + idLength;
          long frameSeq = ByteBuffer.wrap(payload, seqAt, 8).getLong();
          if (!ws.equals(workspace) || frameSeq != seq) continue;
          int canonicalAt = seqAt + 8;
          String before = new String(payload, canonicalAt, length - canonicalAt, StandardCharsets.UTF_8);
          byte[] after = edit.apply(before).getBytes(StandardCharsets.UTF_8);
          if (after.length != length - canonicalAt) throw new IllegalArgumentException("an in-place edit must keep the length");
          System.arraycopy(after, 0, payload, canonicalAt, after.length);
          ByteBuffer patch = ByteBuffer.allocate(4 + length).putInt(crc(payload, 0, length)).put(payload).flip();
          try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(patch, frameAt + 4);
            ch.force(true);
          }
          return;
        }
      }
      throw new IllegalArgumentException("no frame " + workspace + "/" + seq);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Flips one byte of a file in place. */
  public static void flipByte(Path file, long offset) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      bytes[(int) offset] ^= 0x01;
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int crc(byte[] bytes, int offset, int length) {
    CRC32C c = new CRC32C();
    c.update(bytes, offset, length);
    return (int) c.getValue();
  }
}
