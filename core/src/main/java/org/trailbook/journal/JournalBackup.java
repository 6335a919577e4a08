package org.trailbook.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.trailbook.OwnerOnly;

/**
 * Copies a journal that a running server may be appending to, up to a committed point: every
 * segment as it is at the start of the copy (the last one only to the length it had then), then
 * the copy is read back with {@link JournalReader} and a group cut short by the copy's edge is cut
 * off. The copy holds every group that was complete when the copy began, so every event
 * acknowledged before then. Damage in the source fails the copy rather than being carried over.
 * Segments are copied byte for byte, file header and all, so a version 0 segment stays version 0
 * in the copy and a server started on it reads it the same way. The purge state ({@link
 * PurgeManifest}, {@link PurgedLeaves}) is copied after the segments.
 */
public final class JournalBackup {
  private JournalBackup() {}

  /** What a copy holds. */
  public record Copied(int segments, long bytes, long entries, long cutBytes) {}

  public static Copied copy(Path journalDir, Path destDir) {
    try {
      OwnerOnly.directories(destDir);
      List<Path> segments = new ArrayList<>();
      try (var list = Files.list(journalDir)) {
        list.filter(p -> p.getFileName().toString().matches("segment-\\d{10}\\.wal")).sorted().forEach(segments::add);
      }
      long bytes = 0;
      for (Path segment : segments) bytes += copySegment(segment, destDir.resolve(segment.getFileName()));
      copyPurgeState(journalDir, destDir);
      long entries = 0;
      long cut = 0;
      try (JournalReader reader = JournalReader.open(destDir)) {
        for (JournalReader.Item item = reader.next(); item != null; item = reader.next()) {
          switch (item) {
            case JournalReader.Frame f -> entries++;
            case JournalReader.TornTail t -> {
              // the copy's own bytes past its committed point: the source is never touched
              List<Path> copied = reader.files();
              for (Path later : copied.subList(copied.indexOf(t.file()) + 1, copied.size())) Files.delete(later);
              truncate(t.file(), t.offset());
              cut = t.bytes();
            }
            case JournalReader.Damage d ->
                throw new JournalCorruptedException("the journal is damaged at " + journalDir.resolve(d.file().getFileName()) + " offset " + d.offset()
                    + ": " + d.problem() + " (run 'trailbook verify' on the data directory; nothing was backed up)");
          }
        }
      }
      return new Copied(segments.size(), bytes - cut, entries, cut);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the journal " + journalDir + " to " + destDir, e);
    }
  }

  /**
   * The purge state after the segments: it is then never older than any segment copied (a segment
   * compacted meanwhile lacks only frames the later state purged; frames of purged entries still in
   * the copy are compacted when it is opened). Each leaf file is copied up to its committed horizon.
   */
  private static void copyPurgeState(Path journalDir, Path destDir) throws IOException {
    Path manifest = journalDir.resolve(PurgeManifest.FILE_NAME);
    if (!Files.exists(manifest)) return;
    Path copied = destDir.resolve(PurgeManifest.FILE_NAME);
    try (FileChannel in = FileChannel.open(manifest, StandardOpenOption.READ)) { // a rename meanwhile replaces the file, not this one
      copyPrefix(in, manifest, copied, in.size());
    }
    for (var e : PurgeManifest.horizons(destDir).entrySet()) {
      if (e.getValue() == 0) continue;
      Path leaves = PurgedLeaves.file(journalDir, e.getKey());
      Path target = PurgedLeaves.file(destDir, e.getKey());
      OwnerOnly.directories(target.getParent());
      try (FileChannel in = FileChannel.open(leaves, StandardOpenOption.READ)) {
        copyPrefix(in, leaves, target, PurgedLeaves.FORMAT.headerLength() + e.getValue() * org.trailbook.merkle.Hash.SIZE);
      }
    }
    if (Files.isDirectory(destDir.resolve(PurgedLeaves.DIR))) org.trailbook.AtomicFiles.syncDirectory(destDir.resolve(PurgedLeaves.DIR));
  }

  private static long copySegment(Path from, Path to) throws IOException {
    // the length at open is the backup point of the segment being written; sealed ones no longer grow
    // (a compaction renames a new file over one: the channel keeps the file it opened)
    try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ)) {
      return copyPrefix(in, from, to, in.size());
    }
  }

  private static long copyPrefix(FileChannel in, Path from, Path to, long length) throws IOException {
    try (FileChannel out = OwnerOnly.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long done = 0;
      while (done < length) {
        long n = in.transferTo(done, length - done, out);
        if (n <= 0) throw new IOException(from + " is shorter than the " + length + " bytes it had a moment ago");
        done += n;
      }
      out.force(true);
      return done;
    }
  }

  private static void truncate(Path file, long length) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(length);
      ch.force(true);
    }
  }
}
