package org.trailbook.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.AtomicFiles;
import org.trailbook.TornTails;

/**
 * Brings a journal directory to a state {@link FileJournal}'s writer can continue from, at open.
 *
 * <p>It reads the journal through {@link JournalReader}, the scanner {@code trailbook verify} uses,
 * so what recovery accepts and what verify reports cannot drift apart. Recovery's own rules sit on
 * top: any {@link JournalReader.Damage} (including a missing segment or an entry out of sequence)
 * refuses the open naming file and offset, since it is damage to acknowledged history; a {@link
 * JournalReader.TornTail} (a group that never became durable, so was never acknowledged) is cut,
 * but its bytes are first copied to a side file {@code segment-NNNNNNNNNN.wal.torn-<UTC time>},
 * forced to disk, and later segments past it are renamed the same way: recovery never destroys
 * bytes, so an operator can still look at what was cut.
 *
 * <p>Purges (docs/adr/0004): given the committed purge state ({@link PurgeManifest}), a workspace's
 * seqs may skip only over purged seqs, and every kept seq and every seq from the horizon on must be
 * there; frames of purged seqs still found (a compaction not done yet) are not recovered, and their
 * segments are named for {@link SegmentCompactor}.
 *
 * <p>Formats: a version 0 segment (no file header) is read in place and stays the active segment
 * if it is the last one; new segments get the header. An empty active segment (none yet, or a crash
 * right after one was created) gets the header before anything is written to it.
 */
final class JournalRecovery {
  private static final Logger log = LoggerFactory.getLogger(JournalRecovery.class);

  /** Receives every recovered entry in file order: where it is stored ({@code segment << 32 | offset}). */
  interface Sink {
    void entry(String workspace, String id, long seq, long position);
  }

  /**
   * What the writer continues from: segments {@code 0..segments-1} exist, the last one ends at
   * {@code activeSize} and its groups start at {@code activeStart}; {@code lastEntries} holds each
   * workspace's last canonical entry (for its prev_hash).
   */
  record Result(int segments, long activeSize, long activeStart, long nextGroupSeq, Map<String, byte[]> lastEntries, Set<Integer> compactable) {}

  private static final class Tail {
    long next;
    byte[] last;
  }

  private JournalRecovery() {}

  /** Recovers a journal that was never purged. */
  static Result recover(Path dir, Clock clock, Sink sink) throws IOException {
    return recover(dir, clock, Map.of(), sink);
  }

  /**
   * Recovers {@code dir} whose committed purge state is {@code purged}: a workspace's seqs may skip
   * only over purged seqs, frames of purged entries (a compaction that had not run or was cut short)
   * are not passed to {@code sink} and their segments are named in {@link Result#compactable}.
   */
  static Result recover(Path dir, Clock clock, Map<String, PurgeHorizon> purged, Sink sink) throws IOException {
    Set<Integer> compactable = new TreeSet<>();
    Map<String, Tail> tails = new HashMap<>();
    JournalReader.TornTail torn = null;
    List<Path> files;
    long nextGroupSeq;
    long activeStart = 0;
    try (JournalReader reader = JournalReader.open(dir)) {
      files = reader.files();
      for (JournalReader.Item item = reader.next(); item != null; item = reader.next()) {
        switch (item) {
          case JournalReader.Frame f -> {
            Tail t = tails.computeIfAbsent(f.workspace(), w -> new Tail());
            PurgeHorizon p = purged.getOrDefault(f.workspace(), PurgeHorizon.NONE);
            if (f.seq() < t.next || !p.allPurged(t.next, f.seq())) {
              throw new JournalCorruptedException("journal entry out of sequence: workspace " + f.workspace() + " expected seq " + t.next
                  + " but found " + f.seq() + " (resource=" + f.file() + ", offset=" + f.offset() + ")");
            }
            t.next = f.seq() + 1;
            t.last = f.canonical();
            if (p.purged(f.seq())) compactable.add(f.segment());
            else sink.entry(f.workspace(), f.id(), f.seq(), ((long) f.segment() << 32) | f.offset());
          }
          case JournalReader.Damage d -> throw refusal(dir, d);
          case JournalReader.TornTail t -> torn = t;
        }
      }
      for (var e : purged.entrySet()) {
        Tail t = tails.get(e.getKey());
        long next = t == null ? 0 : t.next;
        if (!e.getValue().allPurged(next, Math.max(next, e.getValue().horizon()))) {
          throw new JournalCorruptedException("journal damaged: workspace " + e.getKey() + " lacks kept entries below its purge horizon "
              + e.getValue().horizon() + " (after seq " + (next - 1) + "); run 'trailbook verify' and restore from a backup");
        }
      }
      nextGroupSeq = reader.nextGroupSeq();
      int active = torn != null ? files.indexOf(torn.file()) : files.size() - 1;
      if (active >= 0) activeStart = Math.max(0, reader.dataStart(active));
    }
    if (files.isEmpty()) {
      Path first = dir.resolve(FileJournal.segmentName(0));
      long start = create(first);
      return new Result(1, start, start, 0, Map.of(), Set.of());
    }
    int active = files.size() - 1;
    if (torn != null) {
      active = files.indexOf(torn.file());
      keepAndCut(torn, clock);
      for (int later = files.size() - 1; later > active; later--) moveAside(files.get(later), clock);
    }
    Path last = files.get(active);
    long size = Files.size(last);
    if (size == 0) activeStart = size = create(last); // nothing in it: it becomes a version 1 segment
    Map<String, byte[]> lastEntries = new HashMap<>();
    tails.forEach((ws, t) -> lastEntries.put(ws, t.last));
    int activeIndex = active;
    compactable.removeIf(segment -> segment >= activeIndex); // the active segment is never rewritten
    return new Result(active + 1, size, activeStart, nextGroupSeq, lastEntries, compactable);
  }

  private static JournalCorruptedException refusal(Path dir, JournalReader.Damage d) {
    if (!Files.exists(d.file())) return new JournalCorruptedException(d.problem() + " in " + dir);
    return new JournalCorruptedException("journal damaged before its tail: " + d.problem() + " at offset " + d.offset() + " of " + d.file()
        + "; run 'trailbook verify' and restore from a backup");
  }

  /** Writes a new segment's file header (or a fresh one over an empty segment) and makes it durable; returns where groups start. */
  static long create(Path file) throws IOException {
    byte[] header = JournalFormat.writtenHeader();
    try (FileChannel ch = org.trailbook.OwnerOnly.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(header);
      while (b.hasRemaining()) ch.write(b, b.position());
      ch.force(true);
    }
    AtomicFiles.syncDirectory(file.toAbsolutePath().getParent());
    return header.length;
  }

  /** Cuts the torn tail, keeping its bytes in a side file first (see {@link TornTails}). */
  private static void keepAndCut(JournalReader.TornTail torn, Clock clock) throws IOException {
    Path file = torn.file();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      Path side = TornTails.cutKeeping(file, ch, torn.offset(), clock);
      if (side == null) return;
      log.warn("journal: cut a torn tail of {} bytes at {} offset {} ({}; a write that never became durable, never acknowledged); "
          + "the bytes are kept in {}", Files.size(side), file.getFileName(), torn.offset(), torn.problem(), side);
    }
  }

  /** A later segment past a torn tail holds no readable group: renamed aside, not deleted. */
  private static void moveAside(Path segment, Clock clock) throws IOException {
    Path side = TornTails.moveAside(segment, clock);
    log.warn("journal: {} lies past a torn tail and holds no readable group; moved aside to {}", segment.getFileName(), side);
  }
}
