package org.trailbook.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.trailbook.archive.RestoredViews.Draft;
import org.trailbook.archive.RestoredViews.Page;
import org.trailbook.archive.RestoredViews.Query;
import org.trailbook.archive.RestoredViews.View;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every {@link RestoredViews} does, run against each backend. {@link #openViews} opens another instance on the
 * same backing (the files after a restart; another node of a database), so every read is also a check that what one
 * instance wrote is what every other serves.
 */
public abstract class RestoredViewsContract {
  protected static final String A = "00000000000000000000-00000000000000000006" + ArchiveFormat.SUFFIX;
  protected static final String B = "00000000000000000010-00000000000000000020" + ArchiveFormat.SUFFIX;

  /** Views on this test's backing; called again, another instance on the same backing. */
  protected abstract RestoredViews openViews();

  /**
   * A canonical entry as the log would hold it; {@code extra} lands between the fields, so the bytes are not what a
   * JSON encoder would write again (which proves they are kept exactly).
   */
  protected static String entry(String ws, long seq, String action, String actor, String extra) {
    return "{\"action\":\"" + action + "\",\"actor\":{\"id\":\"" + actor + "\",\"type\":\"user\"},\"id\":\"e" + seq + "\"," + extra
        + "\"seq\":" + seq + ",\"workspace\":\"" + ws + "\"}";
  }

  protected static View view(String ws, String archive, long from, long to, long count) {
    return new View(ws, archive, "file:///archives/" + ws + "/" + archive, from, to, count, to + 3, "2026-12-07T10:00:00Z");
  }

  /** Writes a view of {@code entries} (seq, canonical) and commits it. */
  protected static void restore(RestoredViews views, View v, List<String> entries) throws IOException {
    try (Draft d = views.begin(v.workspace(), v.archive())) {
      for (String e : entries) d.add(seqOf(e), e.getBytes(StandardCharsets.UTF_8));
      d.commit(v);
    }
  }

  protected static long seqOf(String canonical) {
    return org.trailbook.Json.MAPPER.readTree(canonical).get("seq").asLong();
  }

  protected static List<Long> seqs(Page p) {
    return p.entries().stream().map(e -> e.get("seq").asLong()).toList();
  }

  protected static Query all(long afterSeq, int limit) {
    return new Query(null, null, null, afterSeq, limit);
  }

  /** Views A (seqs 0..5, with 2 and 3 purged before it: no entries) and B (10..19) of acme, one view of globex. */
  protected void twoViews(RestoredViews views) throws IOException {
    restore(views, view("acme", B, 10, 20, 10), java.util.stream.LongStream.range(10, 20)
        .mapToObj(s -> entry("acme", s, s % 2 == 0 ? "invoice.paid" : "user.login", s < 15 ? "alice" : "bob", s == 17 ? "\"note\":\"Needle In Hay\"," : ""))
        .toList());
    restore(views, view("acme", A, 0, 6, 4), List.of(entry("acme", 0, "user.login", "alice", ""), entry("acme", 1, "invoice.paid", "bob", ""),
        entry("acme", 4, "user.login", "bob", "\"note\":\"needle\","), entry("acme", 5, "invoice.paid", "alice", "")));
    restore(views, view("globex", A, 0, 6, 1), List.of(entry("globex", 3, "user.login", "alice", "\"note\":\"needle\",")));
  }

  @Test
  void aCommittedViewIsListedInArchiveOrderAndServesItsEntriesByteForByteMarkedAsRestored() throws IOException {
    RestoredViews views = openViews();
    String odd = entry("acme", 12, "user.login", "alice", "\"name\":\"Zoë \\u00e9 \\\"q\\\"\",  \"n\":1.50,");
    restore(views, view("acme", B, 10, 20, 1), List.of(odd));
    restore(views, view("acme", A, 0, 6, 1), List.of(entry("acme", 3, "user.login", "alice", "")));
    RestoredViews other = openViews();
    assertThat(other.views("acme")).containsExactly(view("acme", A, 0, 6, 1), view("acme", B, 10, 20, 1));
    assertThat(other.views("globex")).isEmpty();
    Page page = other.find("acme", all(-1, 10));
    assertThat(seqs(page)).containsExactly(3L, 12L);
    assertThat(page.nextAfterSeq()).isEqualTo(-1);
    ObjectNode marked = page.entries().get(1);
    assertThat(marked.get("restored").asBoolean()).isTrue();
    assertThat(marked.get("archive").asString()).isEqualTo(B);
    assertThat(org.trailbook.Json.MAPPER.writeValueAsString(marked)).endsWith(",\"entry\":" + odd + "}"); // the bytes as archived
  }

  @Test
  void aDraftIsInvisibleUntilCommittedAndAnAbandonedOneLeavesNothingNorTouchesTheViewItWouldReplace() throws IOException {
    RestoredViews views = openViews();
    restore(views, view("acme", A, 0, 6, 1), List.of(entry("acme", 1, "user.login", "alice", "")));
    try (Draft d = views.begin("acme", B)) {
      d.add(10, entry("acme", 10, "user.login", "alice", "").getBytes(StandardCharsets.UTF_8));
      assertThat(openViews().views("acme")).extracting(View::archive).containsExactly(A);
      assertThat(seqs(openViews().find("acme", all(-1, 100)))).containsExactly(1L);
    } // closed without a commit: a verification that failed
    try (Draft d = views.begin("acme", A)) {
      d.add(4, entry("acme", 4, "user.login", "bob", "").getBytes(StandardCharsets.UTF_8));
    }
    RestoredViews other = openViews();
    assertThat(other.views("acme")).containsExactly(view("acme", A, 0, 6, 1));
    assertThat(seqs(other.find("acme", all(-1, 100)))).containsExactly(1L);
    assertThat(other.drop("acme", B)).isFalse();
  }

  @Test
  void aNewViewOfAnArchiveReplacesTheEarlierOneWhole() throws IOException {
    RestoredViews views = openViews();
    restore(views, view("acme", B, 10, 20, 3), List.of(entry("acme", 10, "a.b", "x", ""), entry("acme", 11, "a.b", "x", ""), entry("acme", 12, "a.b", "x", "")));
    View again = new View("acme", B, "s3://bucket/acme/" + B, 10, 20, 1, 40, "2026-12-08T10:00:00Z");
    restore(openViews(), again, List.of(entry("acme", 11, "c.d", "y", "")));
    RestoredViews other = openViews();
    assertThat(other.views("acme")).containsExactly(again);
    Page page = other.find("acme", all(-1, 100));
    assertThat(seqs(page)).containsExactly(11L);
    String served = org.trailbook.Json.MAPPER.writeValueAsString(page.entries().getFirst()); // the entry is its raw bytes
    assertThat(org.trailbook.Json.MAPPER.readTree(served).get("entry").get("action").asString()).isEqualTo("c.d");
  }

  @Test
  void pagesRunInSeqOrderAcrossViewsFromAfterSeq() throws IOException {
    twoViews(openViews());
    RestoredViews views = openViews();
    Page first = views.find("acme", all(-1, 5));
    assertThat(seqs(first)).containsExactly(0L, 1L, 4L, 5L, 10L);
    assertThat(first.nextAfterSeq()).isEqualTo(10);
    Page second = views.find("acme", all(first.nextAfterSeq(), 5));
    assertThat(seqs(second)).containsExactly(11L, 12L, 13L, 14L, 15L);
    assertThat(second.nextAfterSeq()).isEqualTo(15);
    Page last = views.find("acme", all(15, 5)); // exactly the rest: no next page
    assertThat(seqs(last)).containsExactly(16L, 17L, 18L, 19L);
    assertThat(last.nextAfterSeq()).isEqualTo(-1);
    assertThat(views.find("acme", all(19, 5)).entries()).isEmpty();
    assertThat(seqs(views.find("acme", all(2, 1)))).containsExactly(4L);
    assertThat(views.find("initech", all(-1, 5)).entries()).isEmpty();
  }

  @Test
  void filtersOnActionActorAndTextCombine() throws IOException {
    twoViews(openViews());
    RestoredViews views = openViews();
    assertThat(seqs(views.find("acme", new Query("invoice.paid", null, null, -1, 100)))).containsExactly(1L, 5L, 10L, 12L, 14L, 16L, 18L);
    assertThat(seqs(views.find("acme", new Query(null, "alice", null, -1, 100)))).containsExactly(0L, 5L, 10L, 11L, 12L, 13L, 14L);
    assertThat(seqs(views.find("acme", new Query("user.login", "bob", null, -1, 100)))).containsExactly(4L, 15L, 17L, 19L);
    assertThat(seqs(views.find("acme", new Query(null, null, "NEEDLE", -1, 100)))).containsExactly(4L, 17L); // any case
    assertThat(seqs(views.find("acme", new Query(null, "bob", "needle in", -1, 100)))).containsExactly(17L);
    assertThat(seqs(views.find("acme", new Query("invoice.paid", "bob", null, 1, 2)))).containsExactly(16L, 18L);
    Page paged = views.find("acme", new Query("invoice.paid", null, null, -1, 3));
    assertThat(seqs(paged)).containsExactly(1L, 5L, 10L);
    assertThat(paged.nextAfterSeq()).isEqualTo(10);
    assertThat(views.find("acme", new Query("nothing.such", null, null, -1, 3)).entries()).isEmpty();
    assertThat(seqs(views.find("globex", new Query(null, null, "needle", -1, 100)))).containsExactly(3L);
  }

  @Test
  void aDropRemovesTheViewAndItsEntriesOnlyAndAnswersWhetherThereWasOne() throws IOException {
    twoViews(openViews());
    assertThat(openViews().drop("acme", B)).isTrue();
    RestoredViews other = openViews();
    assertThat(other.views("acme")).extracting(View::archive).containsExactly(A);
    assertThat(seqs(other.find("acme", all(-1, 100)))).containsExactly(0L, 1L, 4L, 5L);
    assertThat(other.drop("acme", B)).isFalse();
    assertThat(other.drop("acme", A)).isTrue();
    assertThat(openViews().views("acme")).isEmpty();
    assertThat(openViews().find("acme", all(-1, 100)).entries()).isEmpty();
    assertThat(seqs(openViews().find("globex", all(-1, 100)))).containsExactly(3L); // the same archive name in another workspace
  }
}
