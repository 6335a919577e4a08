package org.trailbook.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.StampedLock;
import java.util.zip.CRC32C;

/**
 * The open segment files of a {@link FileJournal} and the reading of one entry from them.
 *
 * <p>Compaction moves frames (a segment is replaced by a shorter file) and a purge removes entries,
 * while readers read. Both change the layout only inside {@link #exclusively} (a {@link StampedLock}'s
 * write lock, held for a swap: setting positions and the channel, or the purge state). Readers take no
 * lock: they read optimistically (state, position, channel, bytes) and validate the stamp afterwards;
 * if a swap happened meanwhile they read again under the read lock. The replaced channel is closed
 * right after the swap: a reader still reading from it fails, sees its stamp invalid and reads again,
 * so no reader ever returns a frame read at a stale position.
 */
final class SegmentFiles {
  private final Path dir;
  private final List<FileChannel> channels = new CopyOnWriteArrayList<>();
  private final StampedLock layout = new StampedLock();
  /** Run by a read between taking the position and the channel (tests only, to pause a reader there; null in service). */
  volatile Runnable betweenPositionAndChannel;

  SegmentFiles(Path dir) {
    this.dir = dir;
  }

  int count() {
    return channels.size();
  }

  FileChannel get(int index) {
    return channels.get(index);
  }

  /** Opens segment {@code index}, which recovery found, for reading and appending. */
  void open(int index) throws IOException {
    channels.add(FileChannel.open(dir.resolve(FileJournal.segmentName(index)), StandardOpenOption.READ, StandardOpenOption.WRITE));
  }

  /** Creates the next segment: its file header goes in, durable, before any group, so no segment holds a group without it. */
  void create() throws IOException {
    FileChannel ch = org.trailbook.OwnerOnly.open(dir.resolve(FileJournal.segmentName(channels.size())), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    ByteBuffer header = ByteBuffer.wrap(JournalFormat.writtenHeader());
    while (header.hasRemaining()) ch.write(header, header.position());
    ch.force(true);
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
    channels.add(ch);
  }

  /** Runs {@code change} to the layout with every reader held off. */
  void exclusively(Runnable change) {
    long stamp = layout.writeLock();
    try {
      change.run();
    } finally {
      layout.unlockWrite(stamp);
    }
  }

  /** Replaces segment {@code index}'s channel by {@code fresh}, running {@code moves} in the same swap; returns the old one. */
  FileChannel replace(int index, FileChannel fresh, Runnable moves) {
    FileChannel[] old = new FileChannel[1];
    exclusively(() -> {
      moves.run();
      old[0] = channels.set(index, fresh);
    });
    return old[0];
  }

  /** The stored entry {@code seq} of {@code log}, or null if a purge removed it. */
  Entry read(WorkspaceLog log, long seq) {
    long stamp = layout.tryOptimisticRead();
    if (stamp != 0) {
      try {
        Entry e = readNow(log, seq, stamp);
        if (layout.validate(stamp)) return e;
      } catch (RuntimeException e) {
        if (layout.validate(stamp)) throw e;
      }
    }
    stamp = layout.readLock();
    try {
      return readNow(log, seq, 0);
    } finally {
      layout.unlockRead(stamp);
    }
  }

  /** Frames at most this far apart (the bytes of other workspaces' entries between them) are read with one system call. */
  private static final int GAP = 4096;
  /** The most bytes one such read takes: runs are cut there. */
  private static final int RUN = 1 << 20;
  /** Bytes read past the start of a run's last frame, enough for most entries (a longer one is read on its own). */
  private static final int TAIL = 4096;

  /**
   * The stored entries at {@code seqs[0..count)} (ascending, of one log), in order, into {@code out}; the ones a purge
   * removed are left out. What {@link #read} gives for each, in fewer system calls: frames that lie close together in
   * one segment (a workspace's entries of one group commit, say) are read with one positional read.
   */
  void readMany(WorkspaceLog log, long[] seqs, int count, List<Entry> out) {
    int mark = out.size();
    long stamp = layout.tryOptimisticRead();
    if (stamp != 0) {
      try {
        readManyNow(log, seqs, count, out, stamp);
        if (layout.validate(stamp)) return;
      } catch (RuntimeException e) {
        if (layout.validate(stamp)) throw e;
      }
      out.subList(mark, out.size()).clear();
    }
    stamp = layout.readLock();
    try {
      readManyNow(log, seqs, count, out, 0);
    } finally {
      layout.unlockRead(stamp);
    }
  }

  private void readManyNow(WorkspaceLog log, long[] seqs, int count, List<Entry> out, long stamp) {
    PurgeHorizon purged = log.purged;
    long[] stored = new long[count];
    long[] positions = new long[count];
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (purged.purged(seqs[i])) continue;
      long position = log.positions.get(seqs[i]);
      if (position < 0) throw new IllegalStateException("no position for seq " + seqs[i] + " of " + log.workspace);
      stored[n] = seqs[i];
      positions[n++] = position;
    }
    for (int i = 0; i < n; ) {
      int j = i + 1;
      while (j < n && (positions[j] >>> 32) == (positions[i] >>> 32) && positions[j] > positions[j - 1]
          && positions[j] - positions[j - 1] <= GAP && positions[j] - positions[i] <= RUN) j++;
      if (j == i + 1) {
        Entry e = readNow(log, stored[i], stamp);
        if (e != null) out.add(e);
      } else {
        readRun(log, stored, positions, i, j, out, stamp);
      }
      i = j;
    }
  }

  /** The frames at {@code positions[from..to)}, all in one segment and ascending, with one read (plus one per frame past its end). */
  private void readRun(WorkspaceLog log, long[] seqs, long[] positions, int from, int to, List<Entry> out, long stamp) {
    int segment = (int) (positions[from] >>> 32);
    long start = positions[from] & 0xFFFFFFFFL;
    ByteBuffer run = ByteBuffer.allocate((int) ((positions[to - 1] & 0xFFFFFFFFL) - start) + TAIL);
    try {
      FileChannel ch = channels.get(segment);
      while (run.hasRemaining() && ch.read(run, start + run.position()) >= 0) {
        // until the buffer is full or the segment ends
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the journal", e);
    }
    if (stamp != 0 && !layout.validate(stamp)) throw new IllegalStateException("the layout changed while reading");
    byte[] bytes = run.array();
    int got = run.position();
    CRC32C crc = new CRC32C();
    for (int k = from; k < to; k++) {
      int at = (int) ((positions[k] & 0xFFFFFFFFL) - start);
      int length = at + JournalFormat.FRAME_HEADER_BYTES <= got ? run.getInt(at) : -1;
      if (length < 11 || length > got - at - JournalFormat.FRAME_HEADER_BYTES) {
        Entry e = readNow(log, seqs[k], stamp); // past the bytes read, or damaged: the single read checks and says
        if (e != null) out.add(e);
        continue;
      }
      int payload = at + JournalFormat.FRAME_HEADER_BYTES;
      String damage = JournalFormat.checkPayload(crc, bytes, payload, length, run.getInt(at + 4));
      if (damage != null) throw corrupted(damage, segment, positions[k] & 0xFFFFFFFFL);
      JournalFormat.Frame f = JournalFormat.decodePayload(java.util.Arrays.copyOfRange(bytes, payload, payload + length));
      if (!f.workspace().equals(log.workspace) || f.seq() != seqs[k]) throw new IllegalStateException("position of another entry");
      out.add(new Entry(f.workspace(), f.seq(), f.id(), f.canonical()));
    }
  }

  /** Reads under {@code stamp} (0: under the read lock); gives up early, with any exception, once an optimistic stamp is invalid. */
  private Entry readNow(WorkspaceLog log, long seq, long stamp) {
    if (log.purged.purged(seq)) return null;
    long position = log.positions.get(seq);
    if (position < 0) throw new IllegalStateException("no position for seq " + seq + " of " + log.workspace);
    int segment = (int) (position >>> 32);
    long offset = position & 0xFFFFFFFFL;
    Runnable pause = betweenPositionAndChannel;
    if (pause != null) pause.run();
    FileChannel ch = channels.get(segment);
    try {
      ByteBuffer head = ByteBuffer.allocate(JournalFormat.FRAME_HEADER_BYTES);
      readFully(ch, head, offset);
      int length = head.getInt(0);
      int crc = head.getInt(4);
      // a position and channel seen across a swap may point into the wrong bytes: check before trusting the length
      if (stamp != 0 && !layout.validate(stamp)) throw new IllegalStateException("the layout changed while reading");
      if (length < 11) throw corrupted("frame length " + length + " is too short", segment, offset);
      ByteBuffer payload = ByteBuffer.allocate(length);
      readFully(ch, payload, offset + JournalFormat.FRAME_HEADER_BYTES);
      String damage = JournalFormat.checkPayload(payload.array(), crc);
      if (damage != null) throw corrupted(damage, segment, offset);
      JournalFormat.Frame f = JournalFormat.decodePayload(payload.array());
      if (!f.workspace().equals(log.workspace) || f.seq() != seq) throw new IllegalStateException("position of another entry");
      return new Entry(f.workspace(), f.seq(), f.id(), f.canonical());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the journal", e);
    }
  }

  private JournalCorruptedException corrupted(String problem, int segment, long offset) {
    return new JournalCorruptedException(problem + " (resource=" + dir.resolve(FileJournal.segmentName(segment)) + ", offset=" + offset + ")");
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
    while (buf.hasRemaining()) {
      int n = ch.read(buf, at + buf.position());
      if (n < 0) throw new IOException("unexpected end of journal segment at " + (at + buf.position()));
    }
  }

  void close() {
    for (FileChannel ch : channels) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing after the writer stopped; nothing left to lose
      }
    }
  }
}
