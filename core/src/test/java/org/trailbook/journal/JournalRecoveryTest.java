package org.trailbook.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery reads the journal through the scanner {@code verify} uses, so the two agree on every
 * damaged journal; and a torn tail it cuts is kept in a side file, never destroyed.
 */
class JournalRecoveryTest {
  @TempDir Path root;
  private Path dir;
  /** Whether the last {@link #compare} saw recovery refuse. */
  private boolean refusedLast;

  @BeforeEach
  void journalDirectory() {
    dir = root.resolve("journal");
  }

  private Path segment(int i) {
    return dir.resolve(FileJournal.segmentName(i));
  }

  /** Eight groups over two workspaces in segments of about 1.5 kB; returns every file's bytes. */
  private Map<Path, byte[]> writeJournal() throws IOException {
    try (FileJournal j = FileJournal.open(dir, new FileJournal.Options(1500, 10_000, 20_000))) {
      for (int g = 0; g < 8; g++) {
        String ws = g % 3 == 0 ? "ws-b" : "ws-a";
        j.append(ws, EventStoreContract.batch(ws, "g" + g + "-", 1 + g % 3)).join();
      }
    }
    Map<Path, byte[]> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.toList()) files.put(p, Files.readAllBytes(p));
    }
    assertThat(files).as("several segments").hasSizeGreaterThanOrEqualTo(3);
    return files;
  }

  private void restore(Map<Path, byte[]> pristine) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.toList()) Files.delete(p);
    }
    for (var e : pristine.entrySet()) Files.write(e.getKey(), e.getValue());
  }

  /**
   * Every byte flip and every truncation (at a stride) of every segment: recovery refuses exactly
   * when {@code verify}'s reader reports damage, and otherwise keeps exactly the frames the reader
   * returns and cuts exactly at the torn tail the reader names.
   */
  @Test
  void recoveryAndVerifyGiveTheSameVerdictOnEveryDamagedJournal() throws IOException {
    Map<Path, byte[]> pristine = writeJournal();
    int scenarios = 0;
    int refused = 0;
    int cut = 0;
    for (Path file : pristine.keySet()) {
      int length = pristine.get(file).length;
      for (int at = 0; at < length; at += 7) {
        restore(pristine);
        FileJournalTest.flipByte(file, at);
        cut += compare(file + " with byte " + at + " flipped") ? 1 : 0;
        refused += refusedLast ? 1 : 0;
        scenarios++;
      }
      for (int keep = 0; keep < length; keep += 29) {
        restore(pristine);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
          f.setLength(keep);
        }
        cut += compare(file + " cut to " + keep + " bytes") ? 1 : 0;
        refused += refusedLast ? 1 : 0;
        scenarios++;
      }
    }
    // a segment cut short and every later segment lost to zeros: no valid group after the cut
    List<Path> segments = List.copyOf(pristine.keySet());
    for (int k = 0; k < segments.size() - 1; k++) {
      for (int keep = 0; keep < pristine.get(segments.get(k)).length; keep += 53) {
        restore(pristine);
        try (RandomAccessFile f = new RandomAccessFile(segments.get(k).toFile(), "rw")) {
          f.setLength(keep);
        }
        for (Path later : segments.subList(k + 1, segments.size())) Files.write(later, new byte[pristine.get(later).length]);
        cut += compare(segments.get(k) + " cut to " + keep + " bytes, later segments zeroed") ? 1 : 0;
        refused += refusedLast ? 1 : 0;
        scenarios++;
      }
    }
    assertThat(refused).as("some scenarios damage history").isPositive();
    assertThat(cut).as("some scenarios leave a torn tail").isPositive();
    assertThat(scenarios - refused - cut).as("refused + cut + intact").isGreaterThanOrEqualTo(0);
  }

  /** Returns whether recovery cut a torn tail; sets {@link #refusedLast}. */
  private boolean compare(String scenario) throws IOException {
    List<JournalReader.Item> items = JournalFormatVersionTest.readAll(dir);
    boolean damaged = items.stream().anyMatch(i -> i instanceof JournalReader.Damage);
    long frames = items.stream().filter(i -> i instanceof JournalReader.Frame).count();
    JournalReader.TornTail torn = (JournalReader.TornTail) items.stream().filter(i -> i instanceof JournalReader.TornTail).findFirst().orElse(null);
    long[] recovered = {0};
    JournalRecovery.Result result;
    try {
      result = JournalRecovery.recover(dir, Clock.systemUTC(), (ws, id, seq, position) -> recovered[0]++);
    } catch (JournalCorruptedException e) {
      assertThat(damaged).as("%s: recovery refused (%s) but verify found no damage", scenario, e.getMessage()).isTrue();
      refusedLast = true;
      return false;
    }
    refusedLast = false;
    assertThat(damaged).as("%s: verify found damage but recovery opened", scenario).isFalse();
    assertThat(recovered[0]).as("%s: entries", scenario).isEqualTo(frames);
    if (torn == null) return false;
    // a tail torn from byte 0 (a segment header cut short) leaves an empty segment, which gets a fresh header
    long expectedLength = torn.offset() == 0 ? result.activeStart() : torn.offset();
    assertThat(Files.size(torn.file())).as("%s: cut where verify says the tail is torn", scenario).isEqualTo(expectedLength);
    return true;
  }

  @Test
  void aGroupAfterMissingGroupsIsDamageNotATornTail() throws IOException {
    List<Long> ends = new java.util.ArrayList<>();
    try (FileJournal j = FileJournal.open(dir)) {
      for (int g = 0; g < 4; g++) {
        j.append("ws-" + g, EventStoreContract.batch("ws-" + g, "g", 2)).join();
        ends.add(Files.size(segment(0)));
      }
    }
    byte[] bytes = Files.readAllBytes(segment(0));
    // group 2 is cut out of the middle: group 3, the last, now follows a gap
    byte[] spliced = new byte[(int) (bytes.length - (ends.get(2) - ends.get(1)))];
    System.arraycopy(bytes, 0, spliced, 0, ends.get(1).intValue());
    System.arraycopy(bytes, ends.get(2).intValue(), spliced, ends.get(1).intValue(), (int) (bytes.length - ends.get(2)));
    Files.write(segment(0), spliced);
    assertThatThrownBy(() -> FileJournal.open(dir))
        .isInstanceOf(JournalCorruptedException.class)
        .hasMessageContaining("group 2 is missing before this one at offset " + ends.get(1));
    assertThat(Files.readAllBytes(segment(0))).as("the acknowledged group 3 is not cut").isEqualTo(spliced);
  }

  @Test
  void aTornTailIsKeptInASideFileHoldingExactlyTheCutBytes() throws IOException {
    long firstGroupEnd;
    try (FileJournal j = FileJournal.open(dir)) {
      j.append("ws-a", EventStoreContract.batch("ws-a", "a", 3)).join();
      firstGroupEnd = Files.size(segment(0));
      j.append("ws-a", EventStoreContract.batch("ws-a", "b", 3)).join();
    }
    byte[] before = Files.readAllBytes(segment(0));
    try (RandomAccessFile f = new RandomAccessFile(segment(0).toFile(), "rw")) {
      f.setLength(before.length - 10); // a crash mid-write: part of the second group reached the disk
    }
    try (FileJournal j = FileJournal.open(dir)) {
      assertThat(j.size("ws-a")).isEqualTo(3);
    }
    assertThat(Files.size(segment(0))).isEqualTo(firstGroupEnd);
    List<Path> sides = sideFiles(FileJournal.segmentName(0));
    assertThat(sides).singleElement();
    assertThat(sides.getFirst().getFileName().toString()).matches("segment-0000000000\\.wal\\.torn-\\d{8}T\\d{9}Z");
    assertThat(Files.readAllBytes(sides.getFirst())).isEqualTo(Arrays.copyOfRange(before, (int) firstGroupEnd, before.length - 10));
  }

  @Test
  void segmentsPastATornTailAreMovedAsideNotDeleted() throws IOException {
    Map<Path, byte[]> pristine = writeJournal();
    int last = pristine.size() - 1;
    byte[] previous = pristine.get(segment(last - 1));
    // the last group of the segment before the last is damaged, and the last segment holds zeros
    FileJournalTest.flipByte(segment(last - 1), previous.length - 3);
    Files.write(segment(last), new byte[pristine.get(segment(last)).length]);
    List<JournalReader.Item> items = JournalFormatVersionTest.readAll(dir);
    assertThat(items.getLast()).as("verify's verdict").isInstanceOfSatisfying(JournalReader.TornTail.class,
        t -> assertThat(t.file()).isEqualTo(segment(last - 1)));
    long entries = items.stream().filter(i -> i instanceof JournalReader.Frame).count();

    try (FileJournal j = FileJournal.open(dir, new FileJournal.Options(1500, 10_000, 20_000))) {
      assertThat(j.size("ws-a") + j.size("ws-b")).isEqualTo(entries);
      assertThat(segment(last)).doesNotExist();
      for (int b = 0; !Files.exists(segment(last)); b++) j.append("ws-a", EventStoreContract.batch("ws-a", "n" + b + "-", 2)).join();
    }
    assertThat(sideFiles(FileJournal.segmentName(last))).singleElement()
        .satisfies(p -> assertThat(Files.readAllBytes(p)).isEqualTo(new byte[pristine.get(segment(last)).length]));
    assertThat(sideFiles(FileJournal.segmentName(last - 1))).singleElement()
        .satisfies(p -> assertThat(Files.size(p)).isPositive());
    try (FileJournal again = FileJournal.open(dir)) {
      assertThat(again.size("ws-a") + again.size("ws-b")).isGreaterThan(entries);
    }
  }

  private List<Path> sideFiles(String segmentName) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(segmentName + ".torn-")).toList();
    }
  }
}
