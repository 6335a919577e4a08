package org.trailbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.postgres.PostgresPurgeTest.count;
import static org.trailbook.postgres.PostgresPurgeTest.raw;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.trailbook.Json;
import org.trailbook.journal.EntryEncoder;
import org.trailbook.journal.PendingEntry;
import tools.jackson.databind.node.ObjectNode;

/**
 * Disk space after a purge: monthly partitions of {@code entries} that no longer hold any row (every workspace purged
 * them) are dropped, so the entries take less space; partitions still holding a row, the DEFAULT one and this month's
 * and later ones stay. The entries of past months are made the way a server that ran for months made them: each month's
 * partition existed (created ahead), and each entry's {@code received_at} is in its month.
 */
class PostgresPurgeDiskTest {
  private static final int PER_MONTH = 1_500;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final YearMonth now = YearMonth.now(ZoneOffset.UTC);

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened.reversed()) c.close();
  }

  private PostgresDatabase database(StoreUrl url) {
    PostgresDatabase db = PostgresDatabase.open(url, new PostgresDatabase.Options(8, Duration.ofSeconds(2), Duration.ofSeconds(10)));
    opened.add(db);
    return db;
  }

  private PostgresEventStore node(PostgresDatabase db) {
    PostgresEventStore s = PostgresEventStore.open(db);
    opened.add(s);
    return s;
  }

  /** An entry received on the 10th of {@code month}, with a few hundred bytes of metadata like a real one. */
  private static PendingEntry received(String ws, String id, YearMonth month) {
    String at = month.atDay(10) + "T08:30:00.000Z";
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("id", id);
    e.put("action", "document.updated");
    e.put("time", at);
    e.put("type", "user_action");
    e.putObject("metadata").put("note", (id + " changed the document's title and body; ").repeat(8));
    return EntryEncoder.prepare(ws, at, e);
  }

  private static void append(PostgresEventStore s, String ws, YearMonth month, int n) {
    long base = s.size(ws);
    for (int i = 0; i < n; i += 500) {
      List<PendingEntry> batch = new ArrayList<>();
      for (int k = i; k < Math.min(n, i + 500); k++) batch.add(received(ws, ws + "-" + (base + k), month));
      s.append(ws, batch).join();
    }
  }

  private static Set<String> partitions(StoreUrl url) throws Exception {
    Set<String> out = new TreeSet<>();
    try (Connection c = raw(url); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT relid::regclass::text FROM pg_partition_tree('entries') WHERE isleaf")) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }

  private static Map<String, Long> sizes(StoreUrl url) throws Exception {
    Map<String, Long> out = new HashMap<>();
    try (Connection c = raw(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT relid::regclass::text, pg_total_relation_size(relid) FROM pg_partition_tree('entries') WHERE isleaf")) {
      while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
    }
    return out;
  }

  private static long total(Map<String, Long> sizes) {
    return sizes.values().stream().mapToLong(Long::longValue).sum();
  }

  private String month(int ago) {
    return PostgresPartitions.name(now.minusMonths(ago));
  }

  @Test
  void monthsLeftEmptyAreDroppedAndTheEntriesTakeLessSpace() throws Exception {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresDatabase db = database(url);
    PostgresEventStore s = node(db);
    for (int ago = 4; ago >= 1; ago--) PostgresPartitions.create(db.dataSource(), now.minusMonths(ago));
    for (int ago = 4; ago >= 1; ago--) append(s, "ws-a", now.minusMonths(ago), PER_MONTH); // seqs in month order
    append(s, "ws-a", now, 50);
    append(s, "ws-b", now.minusMonths(1), 100);
    assertThat(count(url, "SELECT count(*) FROM " + month(4))).isEqualTo(PER_MONTH);
    assertThat(count(url, "SELECT count(*) FROM " + month(1))).isEqualTo(PER_MONTH + 100);
    Map<String, Long> before = sizes(url);

    // ws-a's four past months, keeping one entry of the third month back
    long kept = PER_MONTH + 5;
    assertThat(s.purge("ws-a", 4 * PER_MONTH, new long[] {kept}, "90 days").removed()).isEqualTo(4 * PER_MONTH - 1);
    Set<String> left = partitions(url);
    assertThat(left).doesNotContain(month(4), month(2))
        .contains(month(3), month(1)) // a kept entry; ws-b's entries
        .contains("entries_default", PostgresPartitions.name(now), PostgresPartitions.name(now.plusMonths(1)),
            PostgresPartitions.name(now.plusMonths(2))); // never the DEFAULT one, this month or later ones (empty as they are)
    long dropped = before.get(month(4)) + before.get(month(2));
    assertThat(dropped).as("the dropped months held a good part of the entries").isGreaterThan(total(before) * 4 / 10);
    assertThat(total(sizes(url))).isLessThanOrEqualTo(total(before) - dropped);
    assertThat(s.read("ws-a", 0, 4 * PER_MONTH)).extracting(e -> e.seq()).containsExactly(kept);

    // the kept entry goes at the next purge, and with it its month; then ws-b's purge empties the last past month
    s.purge("ws-a", 4 * PER_MONTH, new long[0], "90 days, access trail archived");
    assertThat(partitions(url)).doesNotContain(month(3)).contains(month(1));
    s.purge("ws-b", 100, new long[0], "30 days");
    assertThat(partitions(url)).doesNotContain(month(1));
    assertThat(s.read("ws-a", 0, 4 * PER_MONTH + 50)).hasSize(50);
    assertThat(total(sizes(url))).isLessThan(total(before) / 4);
  }

  @Test
  void aMonthThatCouldNotBeDroppedAtOnceIsDroppedAtTheNextStart() throws Exception {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresDatabase db = database(url);
    PostgresEventStore s = node(db);
    PostgresPartitions.create(db.dataSource(), now.minusMonths(2));
    append(s, "ws", now.minusMonths(2), 20);
    append(s, "ws", now, 5);
    try (Connection reader = raw(url); Statement st = reader.createStatement()) {
      reader.setAutoCommit(false);
      st.executeQuery("SELECT count(*) FROM entries").close(); // a long read holds the table: the drop cannot have its lock
      assertThat(s.purge("ws", 20, new long[0], "30 days").removed()).isEqualTo(20); // the purge itself goes through
      assertThat(partitions(url)).contains(month(2));
      reader.rollback();
    }
    node(database(url)); // a node starting
    assertThat(partitions(url)).doesNotContain(month(2));
    assertThat(s.read("ws", 0, 25)).hasSize(5);
  }
}
