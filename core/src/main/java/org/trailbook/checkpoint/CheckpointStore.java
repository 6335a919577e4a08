package org.trailbook.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.FileFormat;
import org.trailbook.TornTails;
import org.trailbook.UnsupportedFormatException;

/**
 * Every checkpoint one log ever signed, in the append-only file {@code checkpoints} of a directory.
 * A record is {@code length (4) || treeSize (8) || signed note (length bytes, UTF-8) || CRC32C (4)}
 * of all before it. Tree sizes strictly increase; each append is forced to disk before it returns.
 * On open, a torn last record (cut short by the end of the file, failing its CRC at the end of the
 * file, or zero bytes to the end) is cut; any other damage throws and is never repaired silently.
 * An in-memory index of sizes to offsets answers {@link #atSize} with one read.
 *
 * <p>The file starts with a {@link FileFormat} header ({@code trailbook.checkpoints} version 1),
 * written and forced when the file is created. A file without one is version 0 (written before
 * headers existed): its records start at byte 0 and, since the record format is the same, it is
 * read and appended to in place. A newer version is refused; a damaged header refuses the open,
 * unless the file is shorter than a header (a crash while it was being created: it holds nothing).
 * A torn tail's bytes are kept in a side file {@code checkpoints.torn-<UTC time>} before the cut.
 */
public final class CheckpointStore implements CheckpointLog {
  private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);
  private static final String FILE = "checkpoints";
  private static final int HEADER = 12;
  private static final int TRAILER = 4;
  /** The file header; version 0 is a file without one. */
  static final FileFormat FORMAT = new FileFormat("trailbook.checkpoints", 1);
  /** The largest signed note stored: 100 signatures of a few kB fit. */
  public static final int MAX_NOTE_BYTES = 1 << 20;

  private final Path path;
  private final FileChannel channel;
  private long[] sizes = new long[16];
  private long[] offsets = new long[16];
  private int count;
  private long end;
  private volatile String latest;
  private boolean broken;

  private CheckpointStore(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /** Opens (creating if needed) the store in {@code dir}, cutting a torn tail and refusing any other damage. */
  public static CheckpointStore open(Path dir) {
    Path path = dir.resolve(FILE);
    FileChannel channel = null;
    try {
      org.trailbook.OwnerOnly.directories(dir);
      boolean created = !Files.exists(path);
      channel = org.trailbook.OwnerOnly.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      if (created) forceDirectory(dir);
      CheckpointStore store = new CheckpointStore(path, channel);
      store.scan(store.start());
      return store;
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof CheckpointException c) throw c;
      if (e instanceof UnsupportedFormatException u) throw u; // a newer Trailbook's file: said as such, not as damage
      throw new CheckpointException("cannot open checkpoint store " + path + ": " + e.getMessage(), e);
    }
  }

  /** Checks the file header, writing it into an empty file; returns where the records start. */
  private long start() throws IOException {
    long size = channel.size();
    switch (FORMAT.probe(path, channel)) {
      case FileFormat.Headed h -> {
        return h.length();
      }
      case FileFormat.Headerless h -> {
        return size == 0 ? writeHeader() : 0;
      }
      case FileFormat.Damaged d -> {
        if (size >= FORMAT.headerLength()) throw corrupt("its file header is damaged: " + d.problem());
        cutTail(0, size, "a file header cut short");
        return writeHeader();
      }
    }
  }

  private long writeHeader() throws IOException {
    ByteBuffer header = ByteBuffer.wrap(FORMAT.header());
    while (header.hasRemaining()) channel.write(header, header.position());
    channel.force(true);
    return header.capacity();
  }

  private void scan(long start) throws IOException {
    long fileSize = channel.size();
    long position = start;
    end = start;
    while (position < fileSize) {
      long remaining = fileSize - position;
      if (remaining < HEADER + TRAILER) {
        cutTail(position, fileSize, "a partial record");
        return;
      }
      ByteBuffer header = read(position, HEADER);
      int length = header.getInt(0);
      long treeSize = header.getLong(4);
      if (length <= 0 || length > MAX_NOTE_BYTES) {
        if (zeroFrom(position, fileSize)) {
          cutTail(position, fileSize, "zeros");
          return;
        }
        throw corrupt("record at offset " + position + " has invalid length " + length);
      }
      long recordSize = HEADER + (long) length + TRAILER;
      if (recordSize > remaining) {
        cutTail(position, fileSize, "a record cut short");
        return;
      }
      ByteBuffer record = read(position, (int) recordSize);
      if (!crcMatches(record)) {
        if (position + recordSize == fileSize) {
          cutTail(position, fileSize, "a record failing its CRC32C");
          return;
        }
        throw corrupt("record at offset " + position + " fails its CRC32C and is not the last record");
      }
      if (count > 0 && treeSize <= sizes[count - 1]) {
        throw corrupt("record at offset " + position + " has treeSize " + treeSize + ", not greater than the previous " + sizes[count - 1]);
      }
      if (treeSize < 0) throw corrupt("record at offset " + position + " has negative treeSize " + treeSize);
      index(treeSize, position);
      position += recordSize;
      if (position == fileSize) latest = decode(record, position - recordSize);
    }
    end = position;
  }

  /**
   * Appends the signed note of the checkpoint at {@code treeSize}, which must exceed every stored size,
   * and forces it to disk.
   */
  @Override
  public synchronized void append(long treeSize, String signedNote) {
    if (broken) throw new CheckpointException("checkpoint store " + path + " failed an earlier write: reopen it");
    if (!channel.isOpen()) throw new CheckpointException("checkpoint store " + path + " is closed");
    byte[] note = CheckpointLog.checkAppend(count > 0 ? sizes[count - 1] : -1, treeSize, signedNote);
    ByteBuffer record = ByteBuffer.allocate(HEADER + note.length + TRAILER);
    record.putInt(note.length).putLong(treeSize).put(note);
    CRC32C crc = new CRC32C();
    crc.update(record.array(), 0, HEADER + note.length);
    record.putInt((int) crc.getValue()).flip();
    try {
      long position = end;
      while (record.hasRemaining()) position += channel.write(record, position);
      channel.force(false);
    } catch (IOException e) {
      try {
        channel.truncate(end);
      } catch (IOException again) {
        broken = true;
        e.addSuppressed(again);
      }
      throw new CheckpointException("cannot append checkpoint at treeSize " + treeSize + " to " + path + ": " + e.getMessage(), e);
    }
    index(treeSize, end);
    end += record.capacity();
    latest = signedNote;
  }

  /** The signed note of the checkpoint with the largest treeSize. */
  @Override
  public Optional<String> latest() {
    return Optional.ofNullable(latest);
  }

  /** The signed note of the checkpoint at exactly {@code treeSize}, found by binary search and one read. */
  @Override
  public synchronized Optional<String> atSize(long treeSize) {
    int i = Arrays.binarySearch(sizes, 0, count, treeSize);
    if (i < 0) return Optional.empty();
    try {
      ByteBuffer header = read(offsets[i], HEADER);
      ByteBuffer record = read(offsets[i], HEADER + header.getInt(0) + TRAILER);
      if (!crcMatches(record)) throw corrupt("record at offset " + offsets[i] + " fails its CRC32C on read");
      return Optional.of(decode(record, offsets[i]));
    } catch (IOException e) {
      throw new CheckpointException("cannot read checkpoint at treeSize " + treeSize + " from " + path + ": " + e.getMessage(), e);
    }
  }

  /** Every stored treeSize, ascending. */
  @Override
  public synchronized List<Long> sizes() {
    List<Long> result = new ArrayList<>(count);
    for (int i = 0; i < count; i++) result.add(sizes[i]);
    return result;
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new CheckpointException("cannot close checkpoint store " + path + ": " + e.getMessage(), e);
    }
  }

  private void index(long treeSize, long offset) {
    if (count == sizes.length) {
      sizes = Arrays.copyOf(sizes, count * 2);
      offsets = Arrays.copyOf(offsets, count * 2);
    }
    sizes[count] = treeSize;
    offsets[count] = offset;
    count++;
  }

  private void cutTail(long position, long fileSize, String what) throws IOException {
    Path side = TornTails.cutKeeping(path, channel, position, Clock.systemUTC());
    log.warn("checkpoint store {}: cut a torn tail of {} bytes ({}) at offset {}; the bytes are kept in {}",
        path, fileSize - position, what, position, side);
    end = position;
    if (count > 0) latest = decode(read(offsets[count - 1], (int) (position - offsets[count - 1])), offsets[count - 1]);
  }

  private boolean zeroFrom(long position, long fileSize) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    while (position < fileSize) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), fileSize - position));
      int read = channel.read(buffer, position);
      if (read < 0) break;
      for (int i = 0; i < read; i++) if (buffer.get(i) != 0) return false;
      position += read;
    }
    return true;
  }

  private ByteBuffer read(long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) throw corrupt("file ends inside the record at offset " + position);
    }
    return buffer.flip();
  }

  private static boolean crcMatches(ByteBuffer record) {
    int length = record.capacity() - TRAILER;
    CRC32C crc = new CRC32C();
    crc.update(record.array(), 0, length);
    return (int) crc.getValue() == record.getInt(length);
  }

  private String decode(ByteBuffer record, long offset) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .decode(ByteBuffer.wrap(record.array(), HEADER, record.capacity() - HEADER - TRAILER)).toString();
    } catch (CharacterCodingException e) {
      throw corrupt("record at offset " + offset + " is not UTF-8");
    }
  }

  private CheckpointException corrupt(String what) {
    return new CheckpointException("checkpoint store " + path + " is damaged: " + what);
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory.
    }
  }
}
