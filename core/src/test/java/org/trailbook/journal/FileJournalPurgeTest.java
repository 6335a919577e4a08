package org.trailbook.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trailbook.journal.EventStoreContract.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The embedded journal passes the purge contract, gives the disk space back and survives crashes in between. */
class FileJournalPurgeTest extends EventStorePurgeContract {
  /** Small segments, so a log spreads over many of them. */
  private static final long SEGMENT_BYTES = 16 << 10;

  @Override
  protected EventStore openStore(Path dir) {
    return FileJournal.open(dir, new FileJournal.Options(1 << 20, 10_000, 20_000));
  }

  private FileJournal openSmall() {
    FileJournal j = FileJournal.open(dir, new FileJournal.Options(SEGMENT_BYTES, 10_000, 20_000));
    track(j);
    return j;
  }

  private List<EventStore> tracked = new ArrayList<>();

  private void track(EventStore s) {
    tracked.add(s);
  }

  @Override
  protected void closeAll() {
    tracked.forEach(EventStore::close);
    tracked.clear();
    super.closeAll();
  }

  private static void fill(EventStore s, String ws, String prefix, int n) {
    JournalFiles.fill(s, ws, prefix, n);
  }

  private long segmentBytes() throws Exception {
    return JournalFiles.segmentBytes(dir);
  }

  private Map<String, byte[]> rawFrames() throws Exception {
    return JournalFiles.rawFrames(dir);
  }

  private int headerVersion(Path segment) throws Exception {
    return JournalFiles.headerVersion(segment);
  }

  private Path segment(int i) {
    return dir.resolve(FileJournal.segmentName(i));
  }

  @Test
  void purgingMostOfAMultiSegmentLogGivesTheDiskSpaceBackAndKeepsRetainedFramesByteForByte() throws Exception {
    FileJournal j = openSmall();
    fill(j, WS, "a", 900);
    fill(j, "ws-b", "b", 100); // shares the segments
    long before = segmentBytes();
    closeAll();
    Map<String, byte[]> framesBefore = rawFrames();
    j = openSmall();
    j.purge(WS, 810, new long[] {5, 400}, "90 percent");
    JournalFiles.awaitCompacted(j);
    long after = segmentBytes();
    assertThat(after).as("bytes before %d, after %d", before, after).isLessThan(before * 30 / 100);
    assertThat(headerVersion(segment(0))).isEqualTo(JournalFormat.COMPACTED);
    closeAll();
    Map<String, byte[]> framesAfter = rawFrames();
    List<String> expected = new ArrayList<>();
    for (String key : framesBefore.keySet()) {
      long seq = Long.parseLong(key.substring(key.indexOf('/') + 1));
      if (key.startsWith("ws-b/") || seq >= 810 || seq == 5 || seq == 400) expected.add(key);
    }
    assertThat(framesAfter.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    for (String key : expected) assertThat(framesAfter.get(key)).as(key).isEqualTo(framesBefore.get(key));
    EventStore again = openSmall();
    assertThat(again.read(WS, 0, 900)).hasSize(92);
    assertThat(again.read("ws-b", 0, 100)).hasSize(100);
  }

  @Test
  void aCrashBeforeCompactionFinishedIsResumedAtOpen() throws Exception {
    FileJournal j = openSmall();
    fill(j, WS, "a", 300);
    fill(j, "ws-b", "b", 50);
    List<Entry> original = j.read(WS, 0, 300);
    closeAll();
    // the journal as the crash left it: purge committed, segments not rewritten yet, a half-written copy
    Path saved = dir.resolveSibling(dir.getFileName() + "-saved");
    Files.createDirectories(saved);
    for (int i = 0; Files.exists(segment(i)); i++) Files.copy(segment(i), saved.resolve(segment(i).getFileName()));
    j = openSmall();
    Purge purge = j.purge(WS, 250, new long[] {7}, "crash");
    JournalFiles.awaitCompacted(j);
    closeAll();
    long compacted = segmentBytes();
    try (Stream<Path> files = Files.list(saved)) {
      for (Path p : files.toList()) Files.copy(p, dir.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
    Files.write(dir.resolve(FileJournal.segmentName(1) + SegmentCompactor.TEMP_SUFFIX), new byte[] {1, 2, 3});
    Path leaves = PurgedLeaves.file(dir, WS);
    Files.write(leaves, new byte[64], java.nio.file.StandardOpenOption.APPEND); // hashes a later, crashed purge appended
    long leavesLength = Files.size(leaves) - 64;
    assertThat(segmentBytes()).isGreaterThan(compacted);

    FileJournal again = openSmall();
    JournalFiles.awaitCompacted(again);
    assertThat(segmentBytes()).isEqualTo(compacted);
    assertThat(Files.exists(dir.resolve(FileJournal.segmentName(1) + SegmentCompactor.TEMP_SUFFIX))).isFalse();
    assertThat(Files.size(leaves)).isEqualTo(leavesLength);
    assertThat(again.purges(WS)).containsExactly(purge);
    assertThat(again.read(WS, 0, 300)).extracting(Entry::seq).first().isEqualTo(7L);
    assertThat(again.read(WS, 0, 300)).hasSize(51);
    for (Entry e : again.read(WS, 0, 300)) assertThat(e.canonical()).isEqualTo(original.get((int) e.seq()).canonical());
    assertThat(again.findById(WS, "a10-0")).isEmpty();
    assertThat(again.read("ws-b", 0, 50)).hasSize(50);
    assertThat(again.append(WS, batch(WS, "n", 1)).join().getFirst().seq()).isEqualTo(300);
  }

  @Test
  void aFlippedByteInACompactedSegmentIsDamage() throws Exception {
    FileJournal j = openSmall();
    fill(j, WS, "a", 300);
    j.purge(WS, 150, new long[0], "flip");
    JournalFiles.awaitCompacted(j);
    closeAll();
    assertThat(headerVersion(segment(1))).isEqualTo(JournalFormat.COMPACTED);
    long size = Files.size(segment(1));
    FileJournalTest.flipByte(segment(1), size / 2);
    assertThatThrownBy(this::openSmall).isInstanceOf(JournalCorruptedException.class).hasMessageContaining("damaged before its tail");
  }

  @Test
  void aGroupMissingFromAnUncompactedSegmentIsStillDamage() throws Exception {
    FileJournal j = openSmall();
    fill(j, WS, "a", 300);
    j.purge(WS, 100, new long[0], "gap");
    JournalFiles.awaitCompacted(j);
    closeAll();
    // cut a whole group out of the middle of the last sealed (version 1) segment: the purge never touched it
    int last = 0;
    while (Files.exists(segment(last + 1))) last++;
    Path victim = segment(last - 1);
    assertThat(headerVersion(victim)).isEqualTo(JournalFormat.WRITTEN);
    byte[] bytes = Files.readAllBytes(victim);
    int first = JournalFormat.FILE.headerLength();
    int firstLength = JournalFormat.HEADER_BYTES + java.nio.ByteBuffer.wrap(bytes).getInt(first + 16);
    byte[] cut = new byte[bytes.length - firstLength];
    System.arraycopy(bytes, 0, cut, 0, first);
    System.arraycopy(bytes, first + firstLength, cut, first, bytes.length - first - firstLength);
    Files.write(victim, cut);
    assertThatThrownBy(this::openSmall).isInstanceOf(JournalCorruptedException.class);
  }

  @Test
  void entriesPurgedWhileInTheActiveSegmentAreCompactedOnceItIsSealed() throws Exception {
    FileJournal j = openSmall();
    fill(j, WS, "a", 20);
    j.purge(WS, 20, new long[0], "active");
    assertThat(Files.exists(segment(1))).isFalse();
    assertThat(j.compactionPending()).isZero(); // the active segment is never rewritten
    fill(j, WS, "b", 200); // seals segment 0: the compactor takes it without waiting for another purge
    JournalFiles.awaitCompacted(j);
    assertThat(headerVersion(segment(0))).isEqualTo(JournalFormat.COMPACTED);
    closeAll();
    assertThat(rawFrames().keySet()).noneMatch(k -> Long.parseLong(k.substring(WS.length() + 1)) < 20).contains(WS + "/20");
  }

  @Test
  void aBackupOfAPurgedJournalOpensAsThePurgedLog() throws Exception {
    FileJournal j = openSmall();
    fill(j, WS, "a", 200);
    List<Entry> original = j.read(WS, 0, 200);
    j.purge(WS, 120, new long[] {3}, "backup");
    Path copy = dir.resolveSibling(dir.getFileName() + "-backup");
    JournalBackup.copy(dir, copy);
    try (FileJournal restored = FileJournal.open(copy, new FileJournal.Options(SEGMENT_BYTES, 10_000, 20_000))) {
      assertThat(restored.purges(WS)).isEqualTo(j.purges(WS));
      assertThat(restored.purgedLeaves(WS, 0, 120)).isEqualTo(leavesOf(original.subList(0, 120)));
      assertThat(restored.read(WS, 0, 200)).extracting(Entry::seq).first().isEqualTo(3L);
      assertThat(restored.read(WS, 0, 200)).hasSize(81);
      assertThat(restored.append(WS, batch(WS, "n", 1)).join().getFirst().seq()).isEqualTo(200);
    }
  }

  @Test
  void aKeptEntryMissingFromTheSegmentsRefusesTheOpen() throws Exception {
    FileJournal j = openSmall();
    fill(j, WS, "a", 300);
    j.purge(WS, 150, new long[] {2}, "kept");
    JournalFiles.awaitCompacted(j);
    closeAll();
    assertThat(rawFrames()).containsKey(WS + "/2").doesNotContainKey(WS + "/3");
    // the state claims seq 2 is kept, but a hand-edited manifest keeps seq 3, which is gone
    Path manifest = dir.resolve(PurgeManifest.FILE_NAME);
    Files.writeString(manifest, Files.readString(manifest).replace("\"kept\":[2]", "\"kept\":[3]"));
    assertThatThrownBy(this::openSmall).isInstanceOf(JournalCorruptedException.class).hasMessageContaining("expected seq 3");
  }
}
