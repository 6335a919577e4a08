package org.trailbook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.journal.EventStoreContract.pending;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trailbook.cli.VerifyDataTest.Run;
import org.trailbook.journal.PendingEntry;
import org.trailbook.postgres.PostgresEventStore;
import org.trailbook.postgres.StoreUrl;
import org.trailbook.postgres.TestPostgres;

/**
 * {@code trailbook verify --store}: run as the real CLI entry on a PostgreSQL store, intact and after rows were
 * tampered with in the database. Workspace "acme" holds seqs 0..9, "beta" 0..2 and must stay OK.
 */
class VerifyStoreTest {
  private String url;

  @BeforeEach
  void fill() {
    url = TestPostgres.newDatabase();
    try (PostgresEventStore store = PostgresEventStore.open(StoreUrl.parse(url))) {
      store.append("acme", events("acme", 6)).join();
      store.append("acme", events("acme-more", 4).stream().map(e -> pending("acme", e.id(), "more")).toList()).join();
      store.append("beta", events("beta", 3)).join();
    }
  }

  private static List<PendingEntry> events(String prefix, int n) {
    List<PendingEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(pending(prefix.startsWith("acme") ? "acme" : prefix, prefix + "-" + i, "thing.done"));
    return out;
  }

  private void sql(String statement) throws Exception {
    StoreUrl u = StoreUrl.parse(url);
    try (Connection c = DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password().orElse(null)); Statement s = c.createStatement()) {
      s.executeUpdate(statement);
    }
  }

  @Test
  void anIntactStoreVerifies() {
    Run r = VerifyDataTest.verify("--store", url);
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("acme: OK — 10 entries checked, tree size 10").contains("beta: OK — 3 entries checked").contains("verified: every log holds");
  }

  @Test
  void aByteChangedInAStoredEntryIsNamedByWorkspaceAndSeq() throws Exception {
    // one letter of the event's action, inside a string: still canonical JSON, but no longer the entry that was hashed
    sql("UPDATE entries SET canonical = overlay(canonical PLACING convert_to('X', 'UTF8') FROM position(convert_to('thing', 'UTF8') IN canonical) FOR 1) "
        + "WHERE workspace = 'acme' AND seq = 4");
    Run r = VerifyDataTest.verify("--store", url);
    assertThat(r.code()).as(r.all()).isEqualTo(Main.EXIT_FAILED_CHECK);
    assertThat(r.err()).as(r.all()).contains("acme: FAILED at seq 4 — entry seq 4 was altered");
    assertThat(r.out()).contains("beta: OK").contains("verification FAILED");
  }

  @Test
  void theLastEntryAlteredTogetherWithItsStoredLeafHashIsCaughtByTheHead() throws Exception {
    sql("UPDATE entries SET canonical = convert_to(replace(convert_from(canonical, 'UTF8'), 'more', 'mOre'), 'UTF8') WHERE workspace = 'acme' AND seq = 9");
    sql("UPDATE entries SET leaf_hash = sha256('\\x00'::bytea || canonical) WHERE workspace = 'acme' AND seq = 9");
    Run r = VerifyDataTest.verify("--store", url);
    assertThat(r.code()).as(r.all()).isEqualTo(Main.EXIT_FAILED_CHECK);
    assertThat(r.err()).as(r.all()).contains("acme: FAILED at seq 9 — entry seq 9 (the last) was altered");
  }

  @Test
  void aRemovedTailIsCaughtByTheHead() throws Exception {
    sql("DELETE FROM entries WHERE workspace = 'acme' AND seq >= 8");
    Run r = VerifyDataTest.verify("--store", url, "--workspace", "acme");
    assertThat(r.code()).as(r.all()).isEqualTo(Main.EXIT_FAILED_CHECK);
    assertThat(r.err()).as(r.all()).contains("acme: FAILED at seq 8 — the head row says 10 entries but 8 are stored: entries from seq 8 on are missing");
    assertThat(r.all()).doesNotContain("beta");
  }

  @Test
  void anEntryNoLongerInCanonicalFormIsNamed() throws Exception {
    sql("UPDATE entries SET canonical = convert_to(replace(convert_from(canonical, 'UTF8'), '\"action\":', '\"action\": '), 'UTF8') WHERE workspace = 'beta' AND seq = 1");
    Run r = VerifyDataTest.verify("--store", url);
    assertThat(r.code()).as(r.all()).isEqualTo(Main.EXIT_FAILED_CHECK);
    assertThat(r.err()).as(r.all()).contains("beta: FAILED at seq 1 — entry seq 1 was altered: its bytes are not in canonical form");
    assertThat(r.out()).contains("acme: OK");
  }

  @Test
  void badStoreUsage() {
    assertThat(VerifyDataTest.verify("--store", url, "--data", "/tmp").code()).isEqualTo(Main.EXIT_USAGE);
    assertThat(VerifyDataTest.verify("--store", "mysql://x/y").code()).isEqualTo(Main.EXIT_USAGE);
    Run none = VerifyDataTest.verify("--store", url, "--workspace", "nope");
    assertThat(none.code()).as(none.all()).isEqualTo(Main.EXIT_USAGE);
    assertThat(none.err()).contains("no workspace 'nope'");
    Run down = VerifyDataTest.verify("--store", "postgresql://postgres:pw@127.0.0.1:1/none");
    assertThat(down.code()).as(down.all()).isEqualTo(Main.EXIT_ERROR);
    assertThat(down.err()).contains("could not run").contains("postgresql://postgres@127.0.0.1:1/none").doesNotContain("pw@");
  }
}
