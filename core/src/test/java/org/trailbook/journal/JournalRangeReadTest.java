package org.trailbook.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * Range reads take runs of nearby frames with one positional read ({@link SegmentFiles#readMany}): they return exactly
 * what reading each entry alone returns — entries longer than the bytes read past a run's last frame, workspaces
 * interleaved in one segment, runs across segment ends, purged holes — and still refuse a damaged frame.
 */
class JournalRangeReadTest {
  @TempDir Path dir;
  private FileJournal journal;

  @AfterEach
  void close() {
    if (journal != null) journal.close();
  }

  /** An entry whose metadata is {@code padding} bytes long (up to well past a run's tail). */
  private static PendingEntry sized(String ws, String id, int padding) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("id", id).put("action", "thing.sized").put("type", "user_action").put("time", "2026-11-20T10:00:00.000Z");
    e.putObject("metadata").put("pad", "x".repeat(padding));
    return EntryEncoder.prepare(ws, "2026-11-20T10:00:01.000Z", e);
  }

  private void fill(Random random) {
    journal = FileJournal.open(dir, new FileJournal.Options(64 << 10, 10_000, 20_000));
    for (int g = 0; g < 60; g++) {
      for (String ws : List.of("ws-a", "ws-b")) {
        List<PendingEntry> batch = new ArrayList<>();
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) batch.add(sized(ws, ws + "-" + g + "-" + i, random.nextInt(10) == 0 ? 6000 + random.nextInt(9000) : random.nextInt(400)));
        journal.append(ws, batch).join();
      }
    }
  }

  /** Each stored entry of {@code ws} read alone, the way every read went before runs. */
  private List<Entry> oneByOne(String ws) {
    WorkspaceLog wl = journal.workspaceLog(ws);
    List<Entry> out = new ArrayList<>();
    for (long s = 0; s < journal.size(ws); s++) {
      Entry e = journal.segmentFiles().read(wl, s);
      if (e != null) out.add(e);
    }
    return out;
  }

  @Test
  void rangesReadTheSameEntriesAsSingleReadsAcrossSegmentsLongEntriesAndPurgedHoles() {
    Random random = new Random(11);
    fill(random);
    assertThat(dir.resolve(FileJournal.segmentName(2))).exists();
    journal.purge("ws-a", 40, new long[] {3, 17, 18}, "holes");
    for (String ws : List.of("ws-a", "ws-b")) {
      List<Entry> expected = oneByOne(ws);
      assertThat(journal.read(ws, 0, journal.size(ws))).usingElementComparator(JournalRangeReadTest::compare).containsExactlyElementsOf(expected);
      for (int k = 0; k < 30; k++) {
        long from = random.nextLong(journal.size(ws));
        long to = from + random.nextLong(journal.size(ws) - from + 1);
        List<Entry> part = expected.stream().filter(e -> e.seq() >= from && e.seq() < to).toList();
        assertThat(journal.read(ws, from, to)).usingElementComparator(JournalRangeReadTest::compare).containsExactlyElementsOf(part);
      }
    }
  }

  @Test
  void aFlippedByteInsideARunIsDamageNamingItsSegment() throws Exception {
    fill(new Random(5));
    List<Entry> all = journal.read("ws-b", 0, journal.size("ws-b"));
    long position = journal.workspaceLog("ws-b").positions.get(all.get(10).seq());
    // flipped under the running journal (its reads go to the file; an open would refuse the segment at once)
    Path segment = dir.resolve(FileJournal.segmentName((int) (position >>> 32)));
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      long at = (position & 0xFFFFFFFFL) + JournalFormat.FRAME_HEADER_BYTES + 20;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x01);
    }
    assertThatThrownBy(() -> journal.read("ws-b", 0, journal.size("ws-b"))).isInstanceOf(JournalCorruptedException.class)
        .hasMessageContaining(segment.getFileName().toString());
  }

  private static int compare(Entry a, Entry b) {
    boolean same = a.workspace().equals(b.workspace()) && a.seq() == b.seq() && a.id().equals(b.id()) && java.util.Arrays.equals(a.canonical(), b.canonical());
    return same ? 0 : 1;
  }
}
