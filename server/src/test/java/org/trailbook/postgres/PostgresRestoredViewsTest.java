package org.trailbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.trailbook.ConflictException;
import org.trailbook.archive.RestoredViews;
import org.trailbook.archive.RestoredViews.Draft;
import org.trailbook.archive.RestoredViews.Query;
import org.trailbook.archive.RestoredViewsContract;

/**
 * The restored-views contract against PostgreSQL, each {@link #openViews} another node on the same database; and what
 * only the database does: one view written by one node at a time, a crash mid-restore leaving no half view, and pages
 * read along an index.
 */
class PostgresRestoredViewsTest extends RestoredViewsContract {
  private final PgNodes nodes = new PgNodes();

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  @Override
  protected RestoredViews openViews() {
    return new PostgresRestoredViews(nodes.node());
  }

  private static byte[] bytes(long seq) {
    return entry("acme", seq, seq % 3 == 0 ? "invoice.paid" : "user.login", "u" + seq % 50, "").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void whileOneNodeWritesAViewAnotherCannotWriteOrDropItButMayWriteOthers() throws Exception {
    RestoredViews a = openViews();
    RestoredViews b = openViews();
    restore(a, view("acme", A, 0, 6, 1), List.of(entry("acme", 1, "a.b", "x", "")));
    try (Draft d = a.begin("acme", A)) {
      d.add(2, bytes(2));
      assertThatThrownBy(() -> b.begin("acme", A)).isInstanceOf(ConflictException.class).hasMessageContaining("being restored or dropped");
      assertThatThrownBy(() -> b.drop("acme", A)).isInstanceOf(ConflictException.class);
      restore(b, view("acme", B, 10, 20, 1), List.of(entry("acme", 10, "a.b", "x", "")));
      restore(b, view("globex", A, 0, 6, 1), List.of(entry("globex", 1, "a.b", "x", "")));
    }
    assertThat(b.drop("acme", A)).isTrue(); // the abandoned draft left the earlier view, and its lock went with it
    assertThat(seqs(b.find("acme", all(-1, 10)))).containsExactly(10L);
  }

  @Test
  void aRestoreWhoseConnectionDiesLeavesTheEarlierViewAndNoneOfItsEntries() throws Exception {
    RestoredViews a = openViews();
    restore(a, view("acme", A, 0, 6, 1), List.of(entry("acme", 1, "a.b", "x", "")));
    PostgresDatabase other = nodes.node();
    try (Draft d = a.begin("acme", A)) {
      for (long seq = 0; seq < 1200; seq++) d.add(seq, bytes(seq)); // two batches sent, in the open transaction
      int killed = Sql.run(other.dataSource(), "end the restore's session", c -> {
        try (var st = c.prepareStatement("select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = current_database() "
            + "and pid <> pg_backend_pid() and query like 'insert into restored_entries%'"); var rs = st.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      });
      assertThat(killed).isEqualTo(1);
      assertThatThrownBy(() -> d.commit(view("acme", A, 0, 1200, 1200))).isInstanceOf(RuntimeException.class);
    }
    RestoredViews b = openViews();
    assertThat(b.views("acme")).containsExactly(view("acme", A, 0, 6, 1));
    assertThat(seqs(b.find("acme", all(-1, 1000)))).containsExactly(1L);
    assertThat(count(other, "select count(*) from restored_entries")).isEqualTo(1);
  }

  @Test
  void aPageIsReadAlongTheIndexOfItsFilterNotByScanningTheView() throws Exception {
    RestoredViews views = openViews();
    try (Draft d = views.begin("acme", B)) {
      for (long seq = 0; seq < 20_000; seq++) d.add(seq, bytes(seq));
      d.commit(view("acme", B, 0, 20_000, 20_000));
    }
    PostgresDatabase db = nodes.node();
    Sql.run(db.dataSource(), "analyze", c -> c.createStatement().execute("analyze restored_entries"));
    assertThat(plan(db, new Query(null, null, null, 15_000, 100), null)).contains("Index", "restored_entries_seq").doesNotContain("Seq Scan");
    assertThat(plan(db, new Query("invoice.paid", null, null, -1, 100), "invoice.paid")).contains("Index", "restored_entries_action").doesNotContain("Seq Scan");
    assertThat(plan(db, new Query(null, "u7", null, -1, 100), "u7")).contains("Index", "restored_entries_actor").doesNotContain("Seq Scan");
    assertThat(plan(db, new Query(null, null, "needle", 19_000, 100), "needle")).contains("Index", "restored_entries_seq").doesNotContain("Seq Scan");
  }

  /** The plan PostgreSQL makes for the page query of {@code q} with its parameters. */
  private static String plan(PostgresDatabase db, Query q, String filter) {
    return Sql.run(db.dataSource(), "explain", c -> {
      try (var st = c.prepareStatement("explain " + PostgresRestoredViews.pageSql(q))) {
        int i = 0;
        st.setString(++i, "acme");
        st.setLong(++i, q.afterSeq());
        if (filter != null) st.setString(++i, filter);
        st.setInt(++i, q.limit() + 1);
        StringBuilder out = new StringBuilder();
        try (var rs = st.executeQuery()) {
          while (rs.next()) out.append(rs.getString(1)).append('\n');
        }
        return out.toString();
      }
    });
  }

  private static long count(PostgresDatabase db, String sql) {
    return Sql.run(db.dataSource(), "count", c -> {
      try (var st = c.prepareStatement(sql); var rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
