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
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.zip.CRC32C;
import org.trailbook.FileFormat;

/**
 * The one journal scanner: reads a journal directory's segments read-only, frame by frame in file
 * order. {@link FileJournal}'s recovery ({@link JournalRecovery}), {@code trailbook verify} and
 * {@link JournalBackup} all read through it, so they cannot disagree about what the journal holds.
 * It never repairs anything and never stops at damage: a damaged frame or group becomes a {@link
 * Damage} item (file and offset) and reading resumes at the next intact group.
 *
 * <p>The rule of docs/adr/0001, in one place: an unreadable group (bad header, cut short, a frame
 * failing its CRC) with a valid later group after it, in this or any later segment, is damage to
 * acknowledged history; with none after it, it and everything after it is a {@link TornTail}, a
 * write that never became durable (so was never acknowledged), and reading ends there. The frames
 * of a torn group are never returned: a group counts entirely or not at all. A sound group header
 * whose group seq skips ahead is damage too (the groups between are missing), never a torn tail.
 *
 * <p>A compacted segment (file header version 2, see {@link JournalFormat}) may skip group numbers
 * where compaction dropped groups whose frames were all purged; so may the first group of the
 * segment after it. Nothing else is relaxed: the seqs of the frames are the caller's to check
 * against the purge state ({@link PurgeManifest}).
 *
 * <p>Each segment's file header ({@link JournalFormat#FILE}) is checked when the segment is
 * reached: a segment without one is version 0 and read from its first byte; a version this build
 * does not read throws {@link org.trailbook.UnsupportedFormatException}; a damaged header is an
 * unreadable group at offset 0 under the rule above.
 *
 * <p>Reads go through one reusable {@link SegmentWindow}, so a scan costs a system call per
 * megabyte, not per group, and allocates nothing per group beyond the frames it returns.
 */
public final class JournalReader implements AutoCloseable {
  /** One thing found in the journal, in file order. */
  public sealed interface Item permits Frame, Damage, TornTail {}

  /**
   * An intact frame: one entry of {@code workspace} at {@code seq}, stored in segment number {@code
   * segment} ({@code file}) at {@code offset}.
   */
  public record Frame(String workspace, String id, long seq, byte[] canonical, Path file, int segment, long offset) implements Item {}

  /**
   * Unreadable bytes at {@code file}:{@code offset}. {@code workspaceHint} is the workspace the
   * damaged frame seems to belong to (read from the damaged payload, so only a hint), or null.
   */
  public record Damage(Path file, long offset, String problem, String workspaceHint) implements Item {}

  /**
   * The journal's last {@code bytes} bytes, from {@code file}:{@code offset} on (through any later
   * segments), hold no complete, intact group: the last item.
   */
  public record TornTail(Path file, long offset, long bytes, String problem) implements Item {}

  private record Found(int fileIndex, long offset, long groupSeq) {}

  private final List<Path> files;
  private final int[] numbers;
  private final long[] dataStarts;
  /** Each segment's format version once reached (0 without a header, -1 damaged or unread). */
  private final int[] versions;
  private final Deque<Item> ready = new ArrayDeque<>();
  private final CRC32C crc = new CRC32C();
  private int fileIndex = -1;
  private FileChannel channel;
  private long position;
  private long size;
  private long nextGroupSeq;
  private boolean ended;
  private final SegmentWindow window = new SegmentWindow();

  private JournalReader(List<Path> files) {
    this.files = files;
    this.numbers = new int[files.size()];
    this.dataStarts = new long[files.size()];
    Arrays.fill(dataStarts, -1);
    this.versions = new int[files.size()];
    Arrays.fill(versions, -1);
    for (int i = 0; i < files.size(); i++) numbers[i] = Integer.parseInt(files.get(i).getFileName().toString().substring(8, 18));
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

  /** The next item in file order, or null at the end of the journal (after a {@link TornTail}, if any). */
  public Item next() {
    try {
      while (ready.isEmpty()) {
        if (ended) return null;
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

  /** The group seq a group written after everything read so far must carry. */
  long nextGroupSeq() {
    return nextGroupSeq;
  }

  /** Where the groups of file {@code index} begin (its header's length; 0 in a version 0 segment); -1 if its header is damaged or unread. */
  long dataStart(int index) {
    return dataStarts[index];
  }

  private boolean nextFile() throws IOException {
    closeChannel();
    fileIndex++;
    if (fileIndex >= files.size()) return false;
    channel = FileChannel.open(files.get(fileIndex), StandardOpenOption.READ);
    size = channel.size();
    window.reset(channel, file(), size);
    switch (JournalFormat.FILE.probe(file(), channel)) {
      case FileFormat.Headed h -> {
        position = dataStarts[fileIndex] = h.length();
        versions[fileIndex] = h.version();
      }
      case FileFormat.Headerless h -> {
        position = dataStarts[fileIndex] = 0;
        versions[fileIndex] = 0;
      }
      case FileFormat.Damaged d -> {
        position = 0;
        unreadable(0, "the segment's file header is damaged: " + d.problem());
      }
    }
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
    JournalFormat.Header h = JournalFormat.readHeader(window.view().position(window.fill(start, JournalFormat.HEADER_BYTES)));
    if (h != null && h.groupSeq() > nextGroupSeq && groupsMayBeDropped(start)) {
      nextGroupSeq = h.groupSeq(); // the groups between were dropped by compaction: read on
    }
    if (h != null && h.groupSeq() > nextGroupSeq) {
      // A sound header of a later group is evidence of durable history after a gap, never a torn
      // write (group n+1 is written only once group n is durable): the groups between are missing.
      String missing = h.groupSeq() - nextGroupSeq == 1 ? "group " + nextGroupSeq + " is" : "groups " + nextGroupSeq + " to " + (h.groupSeq() - 1) + " are";
      ready.add(new Damage(file(), start, missing + " missing before this one", null));
      nextGroupSeq = h.groupSeq();
      return;
    }
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
    String damage = frames(window.fill(bodyAt, h.bodyLength()), bodyAt, h.bodyLength(), h.frameCount());
    if (damage != null && findLater(start + 1) == null) {
      ready.clear(); // a torn group was never acknowledged: none of its frames count
      tornTail(start, "the last group is damaged: " + damage);
      return;
    }
    nextGroupSeq = h.groupSeq() + 1;
    position = bodyAt + h.bodyLength();
  }

  /**
   * True if a group number may skip ahead at {@code start}: inside a compacted (version 2) segment,
   * or at the first group of the segment after one (its last groups may have been dropped).
   */
  private boolean groupsMayBeDropped(long start) {
    if (versions[fileIndex] == JournalFormat.COMPACTED) return true;
    return start == dataStarts[fileIndex] && fileIndex > 0 && versions[fileIndex - 1] == JournalFormat.COMPACTED;
  }

  /** Queues the frames of a group body at {@code at} in the window; returns the first damage found, or null. */
  private String frames(int at, long bodyAt, int bodyLength, int frameCount) {
    byte[] bytes = window.bytes();
    ByteBuffer view = window.view();
    int p = at;
    int end = at + bodyLength;
    String first = null;
    for (int i = 0; i < frameCount; i++) {
      long frameAt = bodyAt + (p - at);
      if (end - p < JournalFormat.FRAME_HEADER_BYTES) {
        return damage(first, frameAt, "the group ends before frame " + (i + 1) + " of " + frameCount, null);
      }
      int length = view.getInt(p);
      int expectedCrc = view.getInt(p + 4);
      int payload = p + JournalFormat.FRAME_HEADER_BYTES;
      if (length < 11 || length > end - payload) return damage(first, frameAt, "frame length " + length + " does not fit the group", null);
      p = payload + length;
      String bad = JournalFormat.checkPayload(crc, bytes, payload, length, expectedCrc);
      if (bad != null) {
        first = damage(first, frameAt, bad, workspaceHint(bytes, payload, length));
        continue;
      }
      int wsLength = bytes[payload] & 0xFF;
      int idLength = 1 + wsLength < length ? bytes[payload + 1 + wsLength] & 0xFF : length;
      int seqAt = payload + 2 + wsLength + idLength;
      if (seqAt + 8 > p) {
        first = damage(first, frameAt, "the frame payload cannot be decoded", null);
        continue;
      }
      String ws = new String(bytes, payload + 1, wsLength, StandardCharsets.US_ASCII);
      String id = new String(bytes, payload + 2 + wsLength, idLength, StandardCharsets.UTF_8);
      byte[] canonical = Arrays.copyOfRange(bytes, seqAt + 8, p);
      ready.add(new Frame(ws, id, view.getLong(seqAt), canonical, file(), numbers[fileIndex], frameAt));
    }
    if (p < end) first = damage(first, bodyAt + (p - at), (end - p) + " bytes after the last frame of the group", null);
    return first;
  }

  private String damage(String first, long offset, String problem, String hint) {
    ready.add(new Damage(file(), offset, problem, hint));
    return first != null ? first : problem + " at offset " + offset;
  }

  /** Bytes at {@code start} are not a readable group: damage if a valid group follows (reading resumes there), else a torn tail. */
  private void unreadable(long start, String problem) throws IOException {
    Found later = findLater(start + 1);
    if (later == null) {
      tornTail(start, problem);
      return;
    }
    nextGroupSeq = later.groupSeq();
    if (later.fileIndex() == fileIndex) {
      ready.add(new Damage(file(), start, problem + "; " + (later.offset() - start) + " bytes skipped", null));
      position = later.offset();
    } else {
      ready.add(new Damage(file(), start, problem + "; the rest of the segment (" + (size - start) + " bytes) skipped", null));
      position = size;
    }
  }

  private void tornTail(long start, String problem) {
    long bytes = size - start;
    for (int i = fileIndex + 1; i < files.size(); i++) bytes += files.get(i).toFile().length();
    int later = files.size() - 1 - fileIndex;
    ready.add(new TornTail(file(), start, bytes, later == 0 ? problem : problem + "; the " + later + " later segment(s) hold no readable group"));
    ended = true;
    position = size;
  }

  /**
   * The first valid group header at or after {@code from} in this segment, else in a later one,
   * whose groupSeq is not below the expected one; null if there is none.
   */
  private Found findLater(long from) throws IOException {
    long[] seq = new long[1];
    long found = SegmentWindow.search(channel, from, size, nextGroupSeq, seq);
    if (found >= 0) return new Found(fileIndex, found, seq[0]);
    for (int i = fileIndex + 1; i < files.size(); i++) {
      try (FileChannel ch = FileChannel.open(files.get(i), StandardOpenOption.READ)) {
        found = SegmentWindow.search(ch, 0, ch.size(), nextGroupSeq, seq);
        if (found >= 0) return new Found(i, found, seq[0]);
      }
    }
    return null;
  }

  /** The workspace named by a damaged payload, if its first bytes still look like one. */
  private static String workspaceHint(byte[] bytes, int payload, int payloadLength) {
    int length = bytes[payload] & 0xFF;
    if (length == 0 || length > 63 || 1 + length > payloadLength) return null;
    String ws = new String(bytes, payload + 1, length, StandardCharsets.US_ASCII);
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
