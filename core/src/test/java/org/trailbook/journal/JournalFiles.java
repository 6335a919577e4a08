package org.trailbook.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.journal.EventStoreContract.batch;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.trailbook.FileFormat;

/** What the journal's purge and compaction tests look at on disk: segment bytes, raw frames, file header versions. */
final class JournalFiles {
  private JournalFiles() {}

  /** Appends {@code n} entries to {@code ws} in batches of 5 (many groups, many segments). */
  static void fill(EventStore s, String ws, String prefix, int n) {
    for (int i = 0; i < n; i += 5) s.append(ws, batch(ws, prefix + i + "-", Math.min(5, n - i))).join();
  }

  /** Waits for the background compaction of every sealed segment holding purged frames. */
  static void awaitCompacted(FileJournal j) throws InterruptedException {
    assertThat(j.awaitCompaction(Duration.ofSeconds(60))).as("compaction finished").isTrue();
  }

  static long segmentBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().matches("segment-\\d{10}\\.wal")).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** Every frame in the journal as stored (its raw bytes), by workspace and seq. */
  static Map<String, byte[]> rawFrames(Path dir) throws IOException {
    Map<String, byte[]> out = new HashMap<>();
    try (JournalReader r = JournalReader.open(dir)) {
      for (JournalReader.Item item = r.next(); item != null; item = r.next()) {
        if (!(item instanceof JournalReader.Frame f)) throw new AssertionError("unexpected " + item);
        try (RandomAccessFile file = new RandomAccessFile(f.file().toFile(), "r")) {
          file.seek(f.offset());
          byte[] bytes = new byte[8 + file.readInt()];
          file.seek(f.offset());
          file.readFully(bytes);
          out.put(f.workspace() + "/" + f.seq(), bytes);
        }
      }
    }
    return out;
  }

  static int headerVersion(Path segment) throws IOException {
    try (FileChannel ch = FileChannel.open(segment)) {
      return JournalFormat.FILE.probe(segment, ch) instanceof FileFormat.Headed h ? h.version() : 0;
    }
  }
}
