package org.trailbook.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.trailbook.FileFormat;

/**
 * Streams the records of a {@link CheckpointStore} file read-only, in order, for checkers that
 * must not change anything (such as {@code trailbook verify} on a stopped server). A torn last
 * record (what a crash during an append leaves) ends the stream and is reported by {@link
 * #tornTail()}; any other damage throws a {@link CheckpointException} naming the offset. Holds no
 * file open between calls, so a checker may keep one reader per workspace. The file header is
 * checked as {@link CheckpointStore} checks it: none is version 0, a newer version throws {@link
 * org.trailbook.UnsupportedFormatException}, a damaged one is damage (or a torn tail if the file is
 * shorter than a header).
 */
public final class CheckpointReader {
  /** One stored checkpoint: the tree size it was filed under and its signed note. */
  public record Stored(long treeSize, String signedNote) {}

  private final Path path;
  /** Where the next record starts; -1 until the file header has been read. */
  private long offset = -1;
  private long previousSize = -1;
  private String tornTail;

  private CheckpointReader(Path path) {
    this.path = path;
  }

  /** A reader of the checkpoint file of a store directory; a missing file reads as no checkpoints. */
  public static CheckpointReader open(Path dir) {
    return new CheckpointReader(dir.resolve("checkpoints"));
  }

  /** The next record, or null at the end (or at a torn last record). */
  public Stored next() {
    if (tornTail != null) return null;
    long start = offset;
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long fileSize = ch.size();
      if (start < 0) {
        start = offset = recordsStart(ch, fileSize);
        if (start < 0) return null;
      }
      if (start >= fileSize) return null;
      if (fileSize - start < 16) return torn(start, "a partial record");
      ByteBuffer header = read(ch, start, 12);
      int length = header.getInt(0);
      long treeSize = header.getLong(4);
      if (length <= 0 || length > CheckpointStore.MAX_NOTE_BYTES) throw corrupt(start, "has invalid length " + length);
      if (start + 16L + length > fileSize) return torn(start, "a record cut short");
      ByteBuffer rest = read(ch, start + 12, length + 4);
      long end = start + 16L + length;
      CRC32C crc = new CRC32C();
      crc.update(header.array());
      crc.update(rest.array(), 0, length);
      if ((int) crc.getValue() != rest.getInt(length)) {
        if (end == fileSize) return torn(start, "a record failing its CRC32C");
        throw corrupt(start, "fails its CRC32C and is not the last record");
      }
      if (treeSize <= previousSize) throw corrupt(start, "has treeSize " + treeSize + ", not greater than the previous " + previousSize);
      offset = end;
      previousSize = treeSize;
      return new Stored(treeSize, StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(rest.array(), 0, length)).toString());
    } catch (NoSuchFileException e) {
      return null;
    } catch (CharacterCodingException e) {
      throw corrupt(start, "is not UTF-8");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /** Where the records start after the file header (0 without one), or -1 if the file is torn there. */
  private long recordsStart(FileChannel ch, long fileSize) throws IOException {
    return switch (CheckpointStore.FORMAT.probe(path, ch)) {
      case FileFormat.Headed h -> h.length();
      case FileFormat.Headerless h -> 0;
      case FileFormat.Damaged d -> {
        if (fileSize >= CheckpointStore.FORMAT.headerLength()) {
          throw new CheckpointException("checkpoint store " + path + " is damaged: its file header is damaged: " + d.problem());
        }
        torn(0, "a file header cut short");
        yield -1;
      }
    };
  }

  /** What ended the stream early, if a torn last record did; null otherwise. */
  public String tornTail() {
    return tornTail;
  }

  private static ByteBuffer read(FileChannel ch, long at, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (ch.read(buf, at + buf.position()) < 0) throw new IOException("unexpected end of file at " + (at + buf.position()));
    }
    return buf;
  }

  private Stored torn(long at, String what) {
    tornTail = what + " at offset " + at + " of " + path;
    return null;
  }

  private CheckpointException corrupt(long at, String what) {
    return new CheckpointException("checkpoint store " + path + " is damaged: the record at offset " + at + " " + what);
  }
}
