package org.trailbook.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.trailbook.AtomicFiles;
import org.trailbook.FileFormat;
import org.trailbook.OwnerOnly;

/**
 * Gives back the disk space of purged entries: rewrites one sealed segment without their frames
 * (a compacted, version 2 segment: see {@link JournalFormat}). The retained frames are copied byte
 * for byte, never re-encoded; each group keeps its number and gets a new header for the frames
 * left, and a group left empty is dropped. The copy goes to {@code segment-N.wal.compact}, is
 * forced, renamed over the segment and the directory forced: a crash leaves the old segment or the
 * new one, and a leftover temp file is deleted at open ({@link #deleteLeftovers}).
 *
 * <p>It streams the segment one group at a time (a group is at most the writer's group size), and
 * checks every group header and frame CRC on the way: damage is never copied into a fresh header.
 */
final class SegmentCompactor {
  static final String TEMP_SUFFIX = ".compact";

  /** Whether the frame of {@code workspace}'s entry {@code seq} stays. */
  interface Retain {
    boolean retain(String workspace, long seq);
  }

  /** Told where each retained frame now lies in the rewritten segment. */
  interface Moved {
    void moved(String workspace, long seq, long offset);
  }

  /** Bytes of the segment before and after, and how many frames were dropped. */
  record Result(long bytesBefore, long bytesAfter, long framesDropped) {}

  private SegmentCompactor() {}

  /**
   * Rewrites {@code segment} without the frames {@code retain} refuses; null, and nothing changed, when there is none to
   * drop. {@code step} runs after each mebibyte read (the compactor's pace).
   */
  static Result compact(Path segment, Retain retain, Moved moved, Runnable step) throws IOException {
    Path temp = segment.resolveSibling(segment.getFileName() + TEMP_SUFFIX);
    Files.deleteIfExists(temp);
    long before;
    long after;
    long dropped = 0;
    CRC32C crc = new CRC32C();
    try (FileChannel in = FileChannel.open(segment, StandardOpenOption.READ);
        FileChannel out = OwnerOnly.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      before = in.size();
      long at = switch (JournalFormat.FILE.probe(segment, in)) {
        case FileFormat.Headed h -> h.length();
        case FileFormat.Headerless h -> 0;
        case FileFormat.Damaged d -> throw damaged(segment, 0, "the segment's file header is damaged: " + d.problem());
      };
      Reads reads = new Reads(in, segment);
      Writes writes = new Writes(out);
      long written = writes.write(ByteBuffer.wrap(JournalFormat.FILE.header(JournalFormat.COMPACTED)));
      ByteBuffer header = ByteBuffer.allocate(JournalFormat.HEADER_BYTES);
      ByteBuffer body = ByteBuffer.allocate(1 << 16);
      ByteBuffer kept = ByteBuffer.allocate(1 << 16);
      long stepAt = at;
      while (at < before) {
        if (at - stepAt >= 1 << 20) {
          step.run();
          stepAt = at;
        }
        header.clear();
        reads.readFully(header, at);
        JournalFormat.Header h = JournalFormat.readHeader(header.position(0));
        if (h == null || at + JournalFormat.HEADER_BYTES + h.bodyLength() > before) throw damaged(segment, at, "no valid group header");
        if (body.capacity() < h.bodyLength()) {
          body = ByteBuffer.allocate(h.bodyLength());
          kept = ByteBuffer.allocate(JournalFormat.HEADER_BYTES + h.bodyLength());
        }
        body.clear().limit(h.bodyLength());
        long bodyAt = at + JournalFormat.HEADER_BYTES;
        reads.readFully(body, bodyAt);
        kept.clear().limit(kept.capacity()).position(JournalFormat.HEADER_BYTES);
        int count = 0;
        int p = 0;
        for (int i = 0; i < h.frameCount(); i++) {
          if (h.bodyLength() - p < JournalFormat.FRAME_HEADER_BYTES) throw damaged(segment, bodyAt + p, "a group shorter than its frames");
          int length = body.getInt(p);
          int payload = p + JournalFormat.FRAME_HEADER_BYTES;
          if (length < 11 || length > h.bodyLength() - payload) throw damaged(segment, bodyAt + p, "a frame that does not fit its group");
          String bad = JournalFormat.checkPayload(crc, body.array(), payload, length, body.getInt(p + 4));
          if (bad != null) throw damaged(segment, bodyAt + p, bad);
          int wsLength = body.get(payload) & 0xFF;
          int idLength = body.get(payload + 1 + wsLength) & 0xFF;
          String ws = new String(body.array(), payload + 1, wsLength, StandardCharsets.US_ASCII);
          long seq = body.getLong(payload + 2 + wsLength + idLength);
          int frameLength = JournalFormat.FRAME_HEADER_BYTES + length;
          if (retain.retain(ws, seq)) {
            moved.moved(ws, seq, written + kept.position());
            kept.put(body.array(), p, frameLength); // byte for byte, CRC and all
            count++;
          } else {
            dropped++;
          }
          p += frameLength;
        }
        if (p != h.bodyLength()) throw damaged(segment, bodyAt + p, "bytes after the last frame of the group");
        if (count > 0) {
          int end = kept.position();
          kept.position(0);
          JournalFormat.writeHeader(kept, h.groupSeq(), count, end - JournalFormat.HEADER_BYTES);
          kept.position(0).limit(end);
          written = writes.write(kept);
        }
        at = bodyAt + h.bodyLength();
      }
      if (dropped == 0) {
        out.close();
        Files.delete(temp);
        return null; // nothing to drop (a purge marked it again after the rewrite that dropped its frames): it stays as it is
      }
      writes.flush();
      out.force(true);
      after = written;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Files.move(temp, segment, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    AtomicFiles.syncDirectory(segment.toAbsolutePath().getParent());
    return new Result(before, after, dropped);
  }

  /** Deletes what a compaction cut short by a crash left (the segment itself is whole, old or new). */
  static void deleteLeftovers(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return;
    try (var list = Files.list(dir)) {
      for (Path p : list.filter(f -> f.getFileName().toString().endsWith(".wal" + TEMP_SUFFIX)).toList()) Files.delete(p);
    }
  }

  /** Bytes moved per system call: a segment holds many small groups (single events are one frame each). */
  private static final int IO_BYTES = 1 << 20;
  /** Bytes a rewrite writes between two forces (see {@link Writes#forceNowAndThen}). */
  private static final long FORCE_BYTES = 8L << 20;

  /** Sequential reads of the segment through one large buffer: one system call per megabyte, not two per group. */
  private static final class Reads {
    private final FileChannel in;
    private final Path segment;
    private final ByteBuffer window = ByteBuffer.allocateDirect(IO_BYTES);
    private long windowAt = 0;

    Reads(FileChannel in, Path segment) {
      this.in = in;
      this.segment = segment;
      window.limit(0);
    }

    /** Fills {@code buf} (from its position) with the bytes at {@code at}, which only grows from call to call. */
    void readFully(ByteBuffer buf, long at) throws IOException {
      while (buf.hasRemaining()) {
        long offset = at - windowAt;
        if (offset < 0 || offset >= window.limit()) {
          window.clear();
          windowAt = at;
          while (window.hasRemaining()) {
            if (in.read(window, windowAt + window.position()) < 0) break;
          }
          window.flip();
          if (!window.hasRemaining()) throw damaged(segment, at, "the segment ends inside a group");
          offset = 0;
        }
        int n = (int) Math.min(buf.remaining(), window.limit() - offset);
        buf.put(buf.position(), window, (int) offset, n).position(buf.position() + n);
        at += n;
      }
    }
  }

  /** Writes the new segment from its start through one large buffer, flushed when full and at the end. */
  private static final class Writes {
    private final FileChannel out;
    private final ByteBuffer pending = ByteBuffer.allocateDirect(IO_BYTES);
    /** Where the bytes in {@code pending} go: the end of what reached the file. */
    private long flushed = 0;
    private long forcedAt = 0;

    Writes(FileChannel out) {
      this.out = out;
    }

    /** Appends {@code buf}; returns the new end of the segment (where the next bytes go). */
    long write(ByteBuffer buf) throws IOException {
      if (buf.remaining() > pending.remaining()) flush();
      if (buf.remaining() > pending.capacity()) {
        while (buf.hasRemaining()) flushed += out.write(buf, flushed);
        forceNowAndThen();
      } else {
        pending.put(buf);
      }
      return flushed + pending.position();
    }

    void flush() throws IOException {
      pending.flip();
      while (pending.hasRemaining()) flushed += out.write(pending, flushed);
      pending.clear();
      forceNowAndThen();
    }

    /**
     * Forces what was written every 8 MiB. Why: on ext4 (data=ordered) the journal writer's fsync
     * of a small group waits for the dirty data of every newly written file, and a rewrite left to the kernel piles up
     * hundreds of megabytes of it: single events then waited seconds for their acknowledgement while a purge compacted.
     */
    private void forceNowAndThen() throws IOException {
      if (flushed - forcedAt < FORCE_BYTES) return;
      out.force(false);
      forcedAt = flushed;
    }
  }

  private static JournalCorruptedException damaged(Path segment, long offset, String problem) {
    return new JournalCorruptedException("cannot compact " + segment + ": " + problem + " at offset " + offset + "; run 'trailbook verify'");
  }
}
