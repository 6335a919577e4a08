package org.trailbook.journal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.trailbook.FileFormat;

/**
 * The bytes of a journal segment. A segment is a sequence of groups, one per group commit:
 *
 * <pre>
 * segment = fileHeader group*          (fileHeader: {@link org.trailbook.FileFormat}, "trailbook.journal" v1 or v2)
 * group  = header frame*
 * header = magic:4 (FE FE 54 42) groupSeq:8 frameCount:4 bodyLength:4 crc32c(previous 20 bytes):4
 * frame  = payloadLength:4 crc32c(payload):4 payload
 * payload = wsLength:1 workspace idLength:1 id seq:8 canonicalEntry
 * </pre>
 *
 * All integers big-endian. 0xFE never occurs in UTF-8, so a header cannot be mistaken for JSON.
 * A group is written with one write and made durable with one fsync before any of its entries is
 * acknowledged; group n+1 is only written after group n is durable.
 *
 * <p>Version 0 segments (written before file headers existed) are the same without the file header:
 * they start with their first group. The group format is identical in both, so a version 0 segment
 * is read in place and even appended to (the active segment at the upgrade); every segment created
 * since starts with the header, written and forced before any group goes in.
 *
 * <p>Version 2 (docs/adr/0004) marks a <em>compacted</em> segment: a sealed segment rewritten by
 * {@link SegmentCompactor} without the frames of purged entries. Its frames are the retained frames
 * of the original, byte for byte (CRCs included); each group keeps its groupSeq and gets a new
 * header for the frames left (frameCount, bodyLength, header CRC), and a group left without frames
 * is dropped. So in a version 2 segment, and at the first group of the segment after one, group
 * numbers may skip ahead; everything else is read as strictly as in version 1, and a workspace's seqs
 * may skip only over purged seqs (checked by recovery against {@link PurgeManifest}). The writer
 * still creates version 1 segments ({@link #WRITTEN}); only compaction writes version 2.
 */
final class JournalFormat {
  static final int MAGIC = 0xFEFE5442;
  static final int HEADER_BYTES = 24;
  static final int FRAME_HEADER_BYTES = 8;
  /** The file header of a segment; version 0 is a segment without one, version 2 a compacted one. */
  static final FileFormat FILE = new FileFormat("trailbook.journal", 2);
  /** The version of the segments the writer creates. */
  static final int WRITTEN = 1;
  /** The version of a segment rewritten without purged frames: its group numbers may skip. */
  static final int COMPACTED = 2;

  /** The header of a segment the writer creates. */
  static byte[] writtenHeader() {
    return FILE.header(WRITTEN);
  }

  private JournalFormat() {}

  record Header(long groupSeq, int frameCount, int bodyLength) {}

  record Frame(String workspace, String id, long seq, byte[] canonical) {}

  static void writeHeader(ByteBuffer buf, long groupSeq, int frameCount, int bodyLength) {
    int start = buf.position();
    buf.putInt(MAGIC).putLong(groupSeq).putInt(frameCount).putInt(bodyLength);
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), buf.arrayOffset() + start, 20);
    buf.putInt((int) crc.getValue());
  }

  /** The header at the buffer's position, or null if these 24 bytes are not a valid header. */
  static Header readHeader(ByteBuffer buf) {
    int start = buf.position();
    if (buf.getInt(start) != MAGIC) return null;
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), buf.arrayOffset() + start, 20);
    if (buf.getInt(start + 20) != (int) crc.getValue()) return null;
    long groupSeq = buf.getLong(start + 4);
    int frameCount = buf.getInt(start + 12);
    int bodyLength = buf.getInt(start + 16);
    if (frameCount <= 0 || bodyLength < frameCount * (FRAME_HEADER_BYTES + 11)) return null;
    return new Header(groupSeq, frameCount, bodyLength);
  }

  static int frameLength(String workspace, String id, int canonicalLength) {
    return FRAME_HEADER_BYTES + payloadLength(workspace, id, canonicalLength);
  }

  private static int payloadLength(String workspace, String id, int canonicalLength) {
    return 1 + workspace.length() + 1 + id.getBytes(StandardCharsets.UTF_8).length + 8 + canonicalLength;
  }

  static void writeFrame(ByteBuffer buf, String workspace, String id, long seq, byte[] canonical) {
    byte[] ws = workspace.getBytes(StandardCharsets.US_ASCII);
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    int payloadLength = 1 + ws.length + 1 + idBytes.length + 8 + canonical.length;
    buf.putInt(payloadLength);
    int crcAt = buf.position();
    buf.putInt(0);
    int payloadAt = buf.position();
    buf.put((byte) ws.length).put(ws).put((byte) idBytes.length).put(idBytes).putLong(seq).put(canonical);
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), buf.arrayOffset() + payloadAt, payloadLength);
    buf.putInt(crcAt, (int) crc.getValue());
  }

  /** Checks a payload's CRC; returns a description of the damage, or null if intact. */
  static String checkPayload(byte[] payload, int expectedCrc) {
    CRC32C crc = new CRC32C();
    crc.update(payload);
    int actual = (int) crc.getValue();
    if (actual == expectedCrc) return null;
    return "checksum failed: expected=" + Integer.toHexString(expectedCrc) + " actual=" + Integer.toHexString(actual);
  }

  /** {@link #checkPayload(byte[], int)} of a slice, reusing {@code crc}: no copy, no allocation when intact. */
  static String checkPayload(CRC32C crc, byte[] bytes, int offset, int length, int expectedCrc) {
    crc.reset();
    crc.update(bytes, offset, length);
    int actual = (int) crc.getValue();
    if (actual == expectedCrc) return null;
    return "checksum failed: expected=" + Integer.toHexString(expectedCrc) + " actual=" + Integer.toHexString(actual);
  }

  static Frame decodePayload(byte[] p) {
    ByteBuffer b = ByteBuffer.wrap(p);
    int wsLen = b.get() & 0xFF;
    String ws = new String(p, 1, wsLen, StandardCharsets.US_ASCII);
    b.position(1 + wsLen);
    int idLen = b.get() & 0xFF;
    String id = new String(p, 2 + wsLen, idLen, StandardCharsets.UTF_8);
    b.position(2 + wsLen + idLen);
    long seq = b.getLong();
    int canonicalAt = b.position();
    byte[] canonical = java.util.Arrays.copyOfRange(p, canonicalAt, p.length);
    return new Frame(ws, id, seq, canonical);
  }
}
