package org.trailbook.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads a journal directory's segments read-only, frame by frame in file order, for checkers such
 * as {@code trailbook verify} that must work on a stopped server and must name damage instead of
 * stopping at it. Unlike {@link FileJournal}, it never repairs anything: a damaged frame or group
 * becomes a {@link Damage} item (file and offset) and reading resumes at the next intact frame or
 * group header; bytes after the last intact group of the last segment become a {@link TornTail}
 * (what a crash leaves, or a truncation). Holds one group in memory at a time.
 */
public final class JournalReader implements AutoCloseable {

  /** One thing found in the journal, in file order. */
  public sealed interface Item permits Frame, Damage, TornTail {}

  /** An intact frame: one entry of {@code workspace} at {@code seq}, as stored at {@code file}:{@code offset}. */
  public record Frame(String workspace, String id, long seq, byte[] canonical, Path file, long offset) implements Item {}

  /**
   * Unreadable bytes at {@code file}:{@code offset}. {@code workspaceHint} is the workspace the
   * damaged frame seems to belong to (read from the damaged payload, so only a hint), or null.
   */
  public record Damage(Path file, long offset, String problem, String workspaceHint) implements Item {}

  /** {@code bytes} bytes at the end of the last segment that hold no complete, intact group. */
  public record TornTail(Path file, long offset, long bytes, String problem) implements Item {}

  private final List<Path> files;
  private final Deque<Item> ready = new ArrayDeque<>();
  private int fileIndex = -1;
  private FileChannel channel;
  private long position;
  private long size;
  private long nextGroupSeq;

  private JournalReader(List<Path> files) {
    this.files = files;
  }

  /** Opens the segments {@code segment-NNNNNNNNNN.wal} of {@code dir}; a missing segment number is reported as damage. */
  public static JournalReader open(Path dir) {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (var list = Files.list(dir)) {
        list.filter(p -> p.getFileName().toString().matches("segment-\\d{10}\\.wal")).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list the journal in " + dir, e);
      }
    }
    JournalReader reader = new JournalReader(files);
    for (int i = 0; i < files.size(); i++) {
      String expected = FileJournal.segmentName(i);
      if (!files.get(i).getFileName().toString().equals(expected)) {
        reader.ready.add(new Damage(dir.resolve(expected), 0, "journal segment " + expected + " is missing", null));
        break;
      }
    }
    return reader;
  }

  /** The segment files in order. */
  public List<Path> files() {
    return List.copyOf(files);
  }

  /** The next item in file order, or null at the end of the last segment. */
  public Item next() {
    try {
      while (ready.isEmpty()) {
        if (channel == null || position >= size) {
          if (!nextFile()) return null;
          continue;
        }
        readGroup();
      }
      return ready.poll();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the journal segment " + files.get(fileIndex), e);
    }
  }

  /** Bytes of all segments read so far, for progress reports. */
  public long bytesRead() {
    long done = 0;
    for (int i = 0; i < fileIndex && i < files.size(); i++) done += files.get(i).toFile().length();
    return done + position;
  }

  /** Total bytes of all segments. */
  public long totalBytes() {
    long total = 0;
    for (Path f : files) total += f.toFile().length();
    return total;
  }

  private boolean nextFile() throws IOException {
    closeChannel();
    fileIndex++;
    if (fileIndex >= files.size()) return false;
    channel = FileChannel.open(files.get(fileIndex), StandardOpenOption.READ);
    size = channel.size();
    position = 0;
    return true;
  }

  private boolean lastFile() {
    return fileIndex == files.size() - 1;
  }

  private Path file() {
    return files.get(fileIndex);
  }

  /** Reads the group at {@link #position}, queueing its frames, or queues the damage and skips it. */
  private void readGroup() throws IOException {
    long start = position;
    if (size - start < JournalFormat.HEADER_BYTES) {
      unreadable(start, "an incomplete group header");
      return;
    }
    ByteBuffer head = read(start, JournalFormat.HEADER_BYTES);
    JournalFormat.Header h = JournalFormat.readHeader(head);
    if (h == null || h.groupSeq() != nextGroupSeq) {
      String problem = h == null ? "no valid group header" : "group " + h.groupSeq() + " where group " + nextGroupSeq + " was expected";
      unreadable(start, problem);
      return;
    }
    long bodyAt = start + JournalFormat.HEADER_BYTES;
    if (bodyAt + h.bodyLength() > size) {
      unreadable(start, "a group of " + h.bodyLength() + " bytes cut short by the end of the file");
      return;
    }
    byte[] body = read(bodyAt, h.bodyLength()).array();
    List<Item> items = frames(body, bodyAt, h.frameCount());
    boolean damaged = items.stream().anyMatch(i -> i instanceof Damage);
    nextGroupSeq = h.groupSeq() + 1;
    position = bodyAt + h.bodyLength();
    if (damaged && lastFile() && position == size) {
      // The journal itself treats a damaged last group as a write that never became durable.
      Damage first = (Damage) items.stream().filter(i -> i instanceof Damage).findFirst().orElseThrow();
      ready.add(new TornTail(file(), start, size - start, "the last group is damaged: " + first.problem() + " at offset " + first.offset()));
      return;
    }
    ready.addAll(items);
  }

  private List<Item> frames(byte[] body, long bodyAt, int frameCount) {
    List<Item> items = new ArrayList<>(frameCount);
    ByteBuffer b = ByteBuffer.wrap(body);
    for (int i = 0; i < frameCount; i++) {
      int frameAt = b.position();
      if (b.remaining() < JournalFormat.FRAME_HEADER_BYTES) {
        items.add(new Damage(file(), bodyAt + frameAt, "the group ends before frame " + (i + 1) + " of " + frameCount, null));
        return items;
      }
      int length = b.getInt();
      int crc = b.getInt();
      if (length < 11 || length > b.remaining()) {
        items.add(new Damage(file(), bodyAt + frameAt, "frame length " + length + " does not fit the group", null));
        return items;
      }
      byte[] payload = new byte[length];
      b.get(payload);
      String damage = JournalFormat.checkPayload(payload, crc);
      if (damage != null) {
        items.add(new Damage(file(), bodyAt + frameAt, damage, workspaceHint(payload)));
        continue;
      }
      JournalFormat.Frame f;
      try {
        f = JournalFormat.decodePayload(payload);
      } catch (RuntimeException e) {
        items.add(new Damage(file(), bodyAt + frameAt, "the frame payload cannot be decoded", null));
        continue;
      }
      items.add(new Frame(f.workspace(), f.id(), f.seq(), f.canonical(), file(), bodyAt + frameAt));
    }
    if (b.hasRemaining()) items.add(new Damage(file(), bodyAt + b.position(), b.remaining() + " bytes after the last frame of the group", null));
    return items;
  }

  /**
   * Bytes at {@code start} are not a readable group. If a later valid group header follows in this
   * or a later segment, they are damage and reading resumes there; otherwise they are a torn tail.
   */
  private void unreadable(long start, String problem) throws IOException {
    long resume = findGroupHeader(start + 1);
    if (resume >= 0) {
      ready.add(new Damage(file(), start, problem + "; " + (resume - start) + " bytes skipped", null));
      position = resume;
      return;
    }
    if (lastFile()) {
      ready.add(new TornTail(file(), start, size - start, problem));
    } else {
      ready.add(new Damage(file(), start, problem + "; the rest of the segment (" + (size - start) + " bytes) skipped", null));
    }
    position = size;
  }

  /** The offset of the next valid group header at or after {@code from} in this segment with a groupSeq not below the expected one, or -1. */
  private long findGroupHeader(long from) throws IOException {
    final int chunk = 1 << 16;
    for (long at = from; at + JournalFormat.HEADER_BYTES <= size; at += chunk) {
      int length = (int) Math.min(chunk + JournalFormat.HEADER_BYTES, size - at);
      ByteBuffer buf = read(at, length);
      for (int i = 0; i + JournalFormat.HEADER_BYTES <= length && i < chunk; i++) {
        if (buf.get(i) != (byte) 0xFE || buf.get(i + 1) != (byte) 0xFE) continue;
        buf.position(i);
        JournalFormat.Header h = JournalFormat.readHeader(buf);
        if (h != null && h.groupSeq() >= nextGroupSeq) {
          nextGroupSeq = h.groupSeq();
          return at + i;
        }
      }
    }
    return -1;
  }

  private ByteBuffer read(long at, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      int n = channel.read(buf, at + buf.position());
      if (n < 0) throw new IOException("unexpected end of " + file() + " at " + (at + buf.position()));
    }
    return buf.flip();
  }

  /** The workspace named by a damaged payload, if its first bytes still look like one. */
  private static String workspaceHint(byte[] payload) {
    int length = payload[0] & 0xFF;
    if (length == 0 || length > 63 || 1 + length > payload.length) return null;
    String ws = new String(payload, 1, length, StandardCharsets.US_ASCII);
    return ws.matches("[a-z0-9][a-z0-9-]*") ? ws : null;
  }

  private void closeChannel() {
    if (channel == null) return;
    try {
      channel.close();
    } catch (IOException ignored) {
      // read-only channel
    }
    channel = null;
  }

  @Override
  public void close() {
    closeChannel();
  }
}
