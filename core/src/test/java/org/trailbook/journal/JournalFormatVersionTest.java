package org.trailbook.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.UnsupportedFormatException;

/**
 * Journal segments start with a file header (trailbook.journal v1); segments written before it
 * existed (version 0) are still read by recovery, by {@code verify}'s reader and by backup; a newer
 * version is refused by all three; a damaged header is named.
 */
class JournalFormatVersionTest {
  private static final int HEADER = JournalFormat.FILE.headerLength();
  @TempDir Path root;
  private Path dir;

  @BeforeEach
  void journalDirectory() {
    dir = root.resolve("journal");
  }

  private FileJournal open(long segmentBytes) {
    return FileJournal.open(dir, new FileJournal.Options(segmentBytes, 10_000, 20_000));
  }

  private Path segment(int i) {
    return dir.resolve(FileJournal.segmentName(i));
  }

  /** Five groups of three entries each in one segment, closed. */
  private void writeFiveGroups(long segmentBytes) {
    try (FileJournal j = open(segmentBytes)) {
      for (int g = 0; g < 5; g++) j.append("ws-a", EventStoreContract.batch("ws-a", "g" + g + "-", 3)).join();
    }
  }

  /**
   * Rewrites every segment the way the code before file headers wrote it: the same groups from
   * byte 0. The group format did not change, so dropping the header gives exactly the old bytes.
   */
  private void downgradeToVersion0() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".wal")).toList()) {
        byte[] bytes = Files.readAllBytes(p);
        assertThat(Arrays.copyOf(bytes, HEADER)).isEqualTo(JournalFormat.writtenHeader());
        Files.write(p, Arrays.copyOfRange(bytes, HEADER, bytes.length));
      }
    }
  }

  @Test
  void everySegmentStartsWithTheHeaderWrittenBeforeAnyGroup() throws IOException {
    writeFiveGroups(2048); // small segments: several are created while writing
    assertThat(segment(1)).exists();
    for (int i = 0; Files.exists(segment(i)); i++) {
      byte[] bytes = Files.readAllBytes(segment(i));
      assertThat(Arrays.copyOf(bytes, HEADER)).as("segment %d", i).isEqualTo(JournalFormat.writtenHeader());
      assertThat(ByteBuffer.wrap(bytes).getInt(HEADER)).as("then a group").isEqualTo(JournalFormat.MAGIC);
    }
  }

  @Test
  void aVersion0JournalIsRecoveredAppendedToInPlaceAndTheNextSegmentGetsTheHeader() throws IOException {
    writeFiveGroups(1 << 20);
    downgradeToVersion0();
    long v0Size = Files.size(segment(0));
    try (FileJournal j = open(v0Size + 1500)) {
      assertThat(j.size("ws-a")).isEqualTo(15);
      assertThat(j.read("ws-a", 0, 15)).extracting(Entry::seq).containsExactlyElementsOf(Stream.iterate(0L, s -> s + 1).limit(15).toList());
      assertThat(j.findById("ws-a", "g4-2").orElseThrow().seq()).isEqualTo(14);
      assertThat(j.append("ws-a", EventStoreContract.batch("ws-a", "h", 1)).join().getFirst().seq()).isEqualTo(15);
      for (int b = 0; !Files.exists(segment(1)); b++) j.append("ws-a", EventStoreContract.batch("ws-a", "r" + b + "-", 2)).join();
    }
    byte[] first = Files.readAllBytes(segment(0));
    assertThat(ByteBuffer.wrap(first).getInt(0)).as("segment 0 stays version 0").isEqualTo(JournalFormat.MAGIC);
    assertThat(first.length).as("the new group went in place").isGreaterThan((int) v0Size);
    assertThat(Arrays.copyOf(Files.readAllBytes(segment(1)), HEADER)).isEqualTo(JournalFormat.writtenHeader());
    try (FileJournal again = open(1 << 20)) {
      long size = again.size("ws-a");
      assertThat(again.read("ws-a", 0, size)).extracting(Entry::seq).containsExactlyElementsOf(Stream.iterate(0L, s -> s + 1).limit(size).toList());
    }
    assertThat(readAll(dir)).as("verify's reader").hasSize((int) countEntries()).allMatch(i -> i instanceof JournalReader.Frame);
  }

  @Test
  void verifiesReaderAndBackupReadAVersion0Journal() throws IOException {
    writeFiveGroups(1 << 20);
    downgradeToVersion0();
    List<JournalReader.Item> items = readAll(dir);
    assertThat(items).hasSize(15).allMatch(i -> i instanceof JournalReader.Frame);
    assertThat(((JournalReader.Frame) items.getFirst()).offset()).as("groups from byte 0").isEqualTo(JournalFormat.HEADER_BYTES);
    Path copy = root.resolve("backup");
    JournalBackup.Copied copied = JournalBackup.copy(dir, copy);
    assertThat(copied.entries()).isEqualTo(15);
    assertThat(Files.readAllBytes(copy.resolve(FileJournal.segmentName(0)))).isEqualTo(Files.readAllBytes(segment(0)));
    try (FileJournal restored = FileJournal.open(copy)) {
      assertThat(restored.size("ws-a")).isEqualTo(15);
    }
  }

  @Test
  void aSegmentOfANewerVersionIsRefusedByRecoveryVerifyAndBackup() throws IOException {
    writeFiveGroups(1 << 20);
    try (RandomAccessFile f = new RandomAccessFile(segment(0).toFile(), "rw")) {
      f.write(JournalFormat.FILE.header(3));
    }
    String message = segment(0) + " is trailbook.journal format version 3, written by a newer Trailbook: upgrade Trailbook to read it"
        + " (this build reads versions 0 to 2)";
    assertThatThrownBy(() -> open(1 << 20)).isInstanceOf(UnsupportedFormatException.class).hasMessage(message);
    assertThatThrownBy(() -> readAll(dir)).isInstanceOf(UnsupportedFormatException.class).hasMessage(message);
    assertThatThrownBy(() -> JournalBackup.copy(dir, root.resolve("backup"))).isInstanceOf(UnsupportedFormatException.class);
    assertThat(Arrays.copyOf(Files.readAllBytes(segment(0)), HEADER)).as("left as it was").isEqualTo(JournalFormat.FILE.header(3));
  }

  @Test
  void aDamagedSegmentHeaderIsNamedAndRefused() throws IOException {
    writeFiveGroups(1 << 20);
    long size = Files.size(segment(0));
    FileJournalTest.flipByte(segment(0), 8); // inside the format name
    assertThatThrownBy(() -> open(1 << 20))
        .isInstanceOf(JournalCorruptedException.class)
        .hasMessageContaining("the segment's file header is damaged: its header fails its CRC32C")
        .hasMessageContaining("at offset 0 of " + segment(0));
    List<JournalReader.Item> items = readAll(dir);
    assertThat(items.getFirst()).isInstanceOfSatisfying(JournalReader.Damage.class, d -> {
      assertThat(d.offset()).isZero();
      assertThat(d.problem()).startsWith("the segment's file header is damaged");
    });
    assertThat(items.stream().filter(i -> i instanceof JournalReader.Frame)).as("the groups after it are still read").hasSize(15);
    assertThat(Files.size(segment(0))).as("nothing cut").isEqualTo(size);
  }

  @Test
  void aSegmentWhoseHeaderACrashCutShortIsGivenAFreshOneAndItsBytesKept() throws IOException {
    writeFiveGroups(1 << 20);
    // the crash came right after segment 1 was created: only part of its header reached the disk
    Files.write(segment(1), Arrays.copyOf(JournalFormat.writtenHeader(), 9));
    try (FileJournal j = open(1 << 20)) {
      assertThat(j.size("ws-a")).isEqualTo(15);
      assertThat(j.append("ws-a", EventStoreContract.batch("ws-a", "n", 1)).join().getFirst().seq()).isEqualTo(15);
    }
    assertThat(Arrays.copyOf(Files.readAllBytes(segment(1)), HEADER)).isEqualTo(JournalFormat.writtenHeader());
    assertThat(sideFiles(FileJournal.segmentName(1))).singleElement()
        .satisfies(p -> assertThat(Files.readAllBytes(p)).isEqualTo(Arrays.copyOf(JournalFormat.writtenHeader(), 9)));
    try (FileJournal again = open(1 << 20)) {
      assertThat(again.findById("ws-a", "n0").orElseThrow().seq()).isEqualTo(15);
    }
  }

  private long countEntries() {
    try (FileJournal j = open(1 << 20)) {
      return j.size("ws-a");
    }
  }

  private List<Path> sideFiles(String segmentName) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(segmentName + ".torn-")).toList();
    }
  }

  static List<JournalReader.Item> readAll(Path dir) {
    List<JournalReader.Item> items = new ArrayList<>();
    try (JournalReader r = JournalReader.open(dir)) {
      for (JournalReader.Item i = r.next(); i != null; i = r.next()) items.add(i);
    }
    return items;
  }
}
