package org.trailbook.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The journal's cache of the newest entries: what it holds after eviction, and that it never answers part of a range wrongly. */
class TailCacheTest {
  private static List<Entry> entries(String ws, long from, int n, int bytes) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(new Entry(ws, from + i, "e" + (from + i), "x".repeat(bytes).getBytes(StandardCharsets.UTF_8)));
    return out;
  }

  private static List<Long> seqs(List<Entry> entries) {
    return entries.stream().map(Entry::seq).toList();
  }

  @Test
  void servesTheNewestEntriesAndLeavesOlderOnesToTheFiles() {
    TailCache cache = new TailCache(10 * (100 + 128)); // room for 10 entries of 100 bytes
    TailCache.Window a = new TailCache.Window();
    cache.add(a, entries("a", 0, 4, 100));
    cache.add(a, entries("a", 4, 4, 100));
    cache.add(a, entries("a", 8, 4, 100)); // 12 entries: the oldest run (0..3) is evicted
    List<Entry> out = new ArrayList<>();
    assertThat(a.copy(2, 12, out)).as("seqs before 4 come from the files").isEqualTo(4);
    assertThat(seqs(out)).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    out.clear();
    assertThat(a.copy(9, 11, out)).isEqualTo(9);
    assertThat(seqs(out)).containsExactly(9L, 10L);
    out.clear();
    assertThat(a.copy(0, 3, out)).as("a range wholly evicted").isEqualTo(3);
    assertThat(out).isEmpty();
    out.clear();
    assertThat(a.copy(10, 14, out)).as("a range the cache does not reach the end of").isEqualTo(14);
    assertThat(out).isEmpty();
  }

  @Test
  void evictsAcrossWorkspacesOldestGroupFirstAndGrowsItsRings() {
    TailCache cache = new TailCache(40 * (10 + 128));
    TailCache.Window a = new TailCache.Window();
    TailCache.Window b = new TailCache.Window();
    cache.add(a, entries("a", 0, 30, 10)); // larger than a ring's first size
    cache.add(b, entries("b", 0, 5, 10));
    cache.add(b, entries("b", 5, 10, 10)); // 45 entries: a's run goes
    List<Entry> out = new ArrayList<>();
    assertThat(a.copy(0, 30, out)).isEqualTo(30);
    assertThat(out).isEmpty();
    assertThat(b.copy(0, 15, out)).isEqualTo(0);
    assertThat(seqs(out)).hasSize(15).startsWith(0L).endsWith(14L);
    cache.add(a, entries("a", 30, 3, 10)); // a's ring was given back: it starts again at its new tail
    out.clear();
    assertThat(a.copy(0, 33, out)).isEqualTo(30);
    assertThat(seqs(out)).containsExactly(30L, 31L, 32L);
  }
}
