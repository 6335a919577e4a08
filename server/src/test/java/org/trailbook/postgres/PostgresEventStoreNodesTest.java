package org.trailbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trailbook.journal.EventStoreContract.pending;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.trailbook.OverloadedException;
import org.trailbook.health.PartHealth;
import org.trailbook.journal.AppendResult;
import org.trailbook.journal.Entry;
import org.trailbook.journal.FeedChanges;
import org.trailbook.journal.JournalUnavailableException;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;

/** Several nodes (store instances) on one database, the feed's watermark, and a database too slow to answer. */
class PostgresEventStoreNodesTest {
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened.reversed()) c.close();
  }

  private PostgresDatabase database(StoreUrl url, Duration statementTimeout) {
    PostgresDatabase db = PostgresDatabase.open(url, new PostgresDatabase.Options(8, Duration.ofSeconds(2), statementTimeout));
    opened.add(db);
    return db;
  }

  private PostgresEventStore node(PostgresDatabase db, PostgresEventStore.Options options) {
    PostgresEventStore s = PostgresEventStore.open(db, options);
    opened.add(s);
    return s;
  }

  private PostgresEventStore node(StoreUrl url) {
    PostgresDatabase db = database(url, Duration.ofSeconds(10));
    return node(db, PostgresEventStore.Options.defaults(db.options()));
  }

  static List<org.trailbook.journal.PendingEntry> batch(String workspace, String prefix, int n) {
    List<org.trailbook.journal.PendingEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(pending(workspace, prefix + i, "thing.created"));
    return out;
  }

  private static Connection raw(StoreUrl url) throws Exception {
    return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password().orElse(null));
  }

  @Test
  void writersOnTwoNodesGetGapFreeSeqsAndOneUnbrokenChainPerWorkspace() throws Exception {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresEventStore a = node(url);
    PostgresEventStore b = node(url);
    int threadsPerNode = 4, batches = 15, perBatch = 4, workspaces = 3;
    List<AppendResult> acked = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerNode)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 2 * threadsPerNode; t++) {
        int thread = t;
        PostgresEventStore via = t % 2 == 0 ? a : b;
        fs.add(pool.submit(() -> {
          for (int n = 0; n < batches; n++) {
            String ws = "ws-" + ((thread + n) % workspaces);
            for (AppendResult r : via.append(ws, batch(ws, ws + "-t" + thread + "-" + n + "-", perBatch)).join()) acked.add(r);
          }
        }));
      }
      for (Future<?> f : fs) f.get();
    }
    assertThat(acked).hasSize(2 * threadsPerNode * batches * perBatch).extracting(AppendResult::duplicate).containsOnly(false);
    long total = 0;
    TreeHasher hasher = new TreeHasher();
    for (int w = 0; w < workspaces; w++) {
      String ws = "ws-" + w;
      long size = a.size(ws);
      assertThat(b.size(ws)).isEqualTo(size);
      List<Entry> entries = b.read(ws, 0, size);
      Hash prev = Hash.ZERO;
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < entries.size(); i++) {
        Entry e = entries.get(i);
        assertThat(e.seq()).isEqualTo(i);
        assertThat(e.json().get("seq").asLong()).isEqualTo(i);
        assertThat(e.json().get("prev_hash").asString()).as(ws + " seq " + i).isEqualTo(prev.hex());
        assertThat(ids.add(e.id())).as("id stored once: " + e.id()).isTrue();
        prev = hasher.leafHash(e.canonical());
      }
      total += size;
    }
    assertThat(total).isEqualTo(acked.size());
    for (AppendResult r : acked) {
      String ws = r.id().substring(0, 4);
      assertThat(a.findById(ws, r.id()).orElseThrow().seq()).isEqualTo(r.seq());
    }
  }

  @Test
  void oneEventSentToTwoNodesAtOnceIsStoredOnce() {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresEventStore a = node(url);
    PostgresEventStore b = node(url);
    for (int i = 0; i < 20; i++) {
      CompletableFuture<List<AppendResult>> viaA = a.append("ws", List.of(pending("ws", "same-" + i, "x.y")));
      CompletableFuture<List<AppendResult>> viaB = b.append("ws", List.of(pending("ws", "same-" + i, "x.y")));
      AppendResult ra = viaA.join().getFirst();
      AppendResult rb = viaB.join().getFirst();
      assertThat(ra.seq()).isEqualTo(rb.seq());
      assertThat(ra.duplicate() ^ rb.duplicate()).as("exactly one of the two stored it").isTrue();
    }
    assertThat(a.size("ws")).isEqualTo(20);
  }

  @Test
  void anEntryAppendedThroughOneNodeWakesTheOthersFeedAndIsReadThere() throws Exception {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresEventStore a = node(url);
    PostgresEventStore b = node(url);
    long cursor = b.changesSince(FeedChanges.ALL).cursor();
    assertThat(b.awaitChange(cursor, Duration.ofMillis(300))).isFalse();
    CompletableFuture<Long> wokenAfter = CompletableFuture.supplyAsync(() -> {
      try {
        long start = System.nanoTime();
        if (!b.awaitChange(cursor, Duration.ofSeconds(20))) return -1L;
        return System.nanoTime() - start;
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    long appended = System.nanoTime();
    AppendResult r = a.append("ws-x", List.of(pending("ws-x", "from-a", "a.did"))).join().getFirst();
    long ackNanos = System.nanoTime() - appended;
    long woken = wokenAfter.get(30, TimeUnit.SECONDS);
    assertThat(woken).as("woken by another node's commit").isPositive();
    // NOTIFY (or the 100 ms poll) brings it: well under a second after the commit, however long the commit took
    assertThat(TimeUnit.NANOSECONDS.toMillis(woken - ackNanos)).isLessThan(1_000);
    FeedChanges changes = b.changesSince(cursor);
    assertThat(changes.sizes()).containsEntry("ws-x", 1L);
    Entry e = b.read("ws-x", 0, 1).getFirst();
    assertThat(e.canonical()).isEqualTo(a.read("ws-x", 0, 1).getFirst().canonical());
    assertThat(b.findById("ws-x", "from-a").orElseThrow().seq()).isEqualTo(r.seq());
    assertThat(b.workspaces()).containsExactly("ws-x");
  }

  /**
   * A transaction that took a smaller change id but commits after one with a larger id (a slow node) is still named
   * by the feed: reading "change_id > newest seen" would miss it.
   */
  @Test
  void theFeedNamesAWorkspaceWhoseTransactionCommittedOutOfChangeIdOrder() throws Exception {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresDatabase db = database(url, Duration.ofSeconds(10));
    // a short lag, so the watermark moves during the test (a real one exceeds any transaction's life)
    PostgresEventStore s = node(db, new PostgresEventStore.Options(1000, 1L << 20, 100, 1 << 20, Duration.ofSeconds(2)));
    s.append("ws-seed", List.of(pending("ws-seed", "seed", "a.b"))).join();
    // the watermark passes the seed's commit: the feed stops naming it
    long cursor = s.changesSince(FeedChanges.ALL).cursor();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    FeedChanges c;
    while ((c = s.changesSince(cursor)).sizes().containsKey("ws-seed")) {
      assertThat(System.nanoTime()).as("the watermark moves").isLessThan(deadline);
      cursor = c.cursor();
      s.awaitChange(cursor, Duration.ofMillis(100)); // paces the loop; no change is expected
    }
    cursor = c.cursor();
    try (Connection slow = raw(url); Statement st = slow.createStatement()) {
      slow.setAutoCommit(false);
      // a slow writer on another node: takes its change id now, commits after a later id was committed and seen
      st.executeUpdate("INSERT INTO workspace_heads (workspace, size, last_leaf_hash, change_id) "
          + "VALUES ('ws-slow', 1, '\\x00'::bytea, nextval('entry_change_ids'))");
      s.append("ws-fast", List.of(pending("ws-fast", "f", "a.b"))).join();
      FeedChanges first = s.changesSince(cursor);
      assertThat(first.sizes()).containsKey("ws-fast").doesNotContainKey("ws-slow").doesNotContainKey("ws-seed");
      slow.commit();
      FeedChanges after = s.changesSince(first.cursor());
      assertThat(after.sizes()).containsEntry("ws-slow", 1L);
    }
  }

  @Test
  void aStatementTimeoutFailsTheBatchCleanlyAndTheStoreRecoversByItself() throws Exception {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresDatabase db = database(url, Duration.ofMillis(500));
    PostgresEventStore s = node(db, PostgresEventStore.Options.defaults(db.options()));
    s.append("ws", batch("ws", "a", 2)).join();
    try (Connection holder = raw(url); Statement st = holder.createStatement()) {
      holder.setAutoCommit(false);
      st.execute("SELECT * FROM workspace_heads WHERE workspace = 'ws' FOR UPDATE"); // another session holds the head
      assertThatThrownBy(() -> s.append("ws", batch("ws", "b", 2)).join())
          .isInstanceOf(CompletionException.class).cause().isInstanceOf(JournalUnavailableException.class)
          .hasMessageContaining("statement timeout");
      assertThat(s.health().state()).isEqualTo(PartHealth.State.BACKING_OFF);
      holder.rollback();
    }
    List<AppendResult> ok = retryUntilStored(s, "ws", "b");
    assertThat(ok).extracting(AppendResult::seq).containsExactly(2L, 3L);
    assertThat(s.size("ws")).isEqualTo(4);
    assertThat(s.health().state()).isEqualTo(PartHealth.State.RUNNING);
  }

  @Test
  void anExhaustedPoolFailsTheBatchWithA503AndTheStoreRecoversOnceConnectionsAreBack() throws Exception {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresDatabase db = PostgresDatabase.open(url, new PostgresDatabase.Options(3, Duration.ofMillis(500), Duration.ofSeconds(10)));
    opened.add(db);
    PostgresEventStore s = node(db, PostgresEventStore.Options.defaults(db.options()));
    s.append("ws", batch("ws", "a", 1)).join();
    List<Connection> taken = new ArrayList<>();
    try {
      // the feed listener holds one of the three; take the rest
      while (true) {
        try {
          taken.add(db.dataSource().getConnection());
        } catch (java.sql.SQLException exhausted) {
          break;
        }
      }
      assertThatThrownBy(() -> s.append("ws", batch("ws", "b", 1)).join())
          .cause().isInstanceOf(JournalUnavailableException.class).hasMessageContaining("pool exhausted");
    } finally {
      for (Connection c : taken) c.close();
    }
    assertThat(retryUntilStored(s, "ws", "b")).extracting(AppendResult::seq).containsExactly(1L, 2L);
  }

  @Test
  void entriesGoToTheirMonthsPartitionAndAnyOtherTimeToTheDefaultOne() throws Exception {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresEventStore s = node(url);
    java.time.YearMonth now = java.time.YearMonth.now(java.time.ZoneOffset.UTC);
    String thisMonth = now.atDay(2) + "T10:00:00.000Z";
    s.append("ws", List.of(pending("ws", "recent", "a.b", thisMonth, thisMonth), pending("ws", "old", "a.b", "2019-03-04T05:06:07.000Z",
        "2019-03-04T05:06:07.000Z"))).join();
    try (Connection c = raw(url); Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT id, tableoid::regclass::text FROM entries ORDER BY seq")) {
      rs.next();
      assertThat(rs.getString(2)).isEqualTo(PostgresPartitions.name(now));
      rs.next();
      assertThat(rs.getString(2)).isEqualTo("entries_default");
    }
    try (Connection c = raw(url); Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_inherits WHERE inhparent = 'entries'::regclass")) {
      rs.next();
      assertThat(rs.getInt(1)).as("three months ahead and the default").isEqualTo(4);
    }
  }

  /** The connection dies during COMMIT (here: the backend ends itself in a deferred trigger, which runs at COMMIT). */
  @Test
  void aConnectionLostDuringCommitIsAnsweredMayOrMayNotBeStoredAndReSendingIsSafe() throws Exception {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresEventStore s = node(url);
    s.append("doomed", batch("doomed", "a", 1)).join();
    try (Connection c = raw(url); Statement st = c.createStatement()) {
      st.execute("CREATE FUNCTION die() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$");
      st.execute("CREATE CONSTRAINT TRIGGER die_at_commit AFTER UPDATE ON workspace_heads DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
          + "WHEN (NEW.workspace = 'doomed') EXECUTE FUNCTION die()");
    }
    assertThatThrownBy(() -> s.append("doomed", batch("doomed", "b", 2)).join())
        .cause().isInstanceOf(JournalUnavailableException.class).hasMessageContaining("may or may not be stored");
    try (Connection c = raw(url); Statement st = c.createStatement()) {
      st.execute("DROP TRIGGER die_at_commit ON workspace_heads");
    }
    // the client re-sends the same ids: each is stored exactly once, whatever the lost COMMIT did
    List<AppendResult> again = retryUntilStored(s, "doomed", "b");
    assertThat(again).extracting(AppendResult::seq).containsExactly(1L, 2L);
    assertThat(s.size("doomed")).isEqualTo(3);
  }

  @Test
  void tooManyPendingEventsAreRefusedAtOnce() {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresDatabase db = database(url, Duration.ofSeconds(10));
    PostgresEventStore s = node(db, new PostgresEventStore.Options(5, 1L << 20, 100, 1 << 20, Duration.ofSeconds(45)));
    assertThatThrownBy(() -> s.append("ws", batch("ws", "a", 6))).isInstanceOf(OverloadedException.class).hasMessageContaining("5 events behind");
    assertThat(s.append("ws", batch("ws", "a", 5)).join()).hasSize(5);
    assertThat(s.pendingEvents()).isZero();
  }

  @Test
  void readsByWorkspaceAndSeqUseAnIndex() throws Exception {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresEventStore s = node(url);
    for (int b = 0; b < 10; b++) s.append("ws", batch("ws", "b" + b + "-", 200)).join();
    s.append("other", batch("other", "o", 5)).join();
    try (Connection c = raw(url); Statement st = c.createStatement()) {
      st.execute("ANALYZE");
      String partition; // the partition holding the rows (the others are empty: scanning them costs nothing)
      try (java.sql.ResultSet rs = st.executeQuery("SELECT tableoid::regclass::text FROM entries WHERE workspace = 'ws' LIMIT 1")) {
        rs.next();
        partition = rs.getString(1);
      }
      String plan;
      try (java.sql.PreparedStatement explain = c.prepareStatement("EXPLAIN " + PostgresReads.READ)) {
        explain.setString(1, "ws");
        explain.setLong(2, 1500);
        explain.setLong(3, 1510);
        StringBuilder text = new StringBuilder();
        try (java.sql.ResultSet rs = explain.executeQuery()) {
          while (rs.next()) text.append(rs.getString(1)).append('\n');
        }
        plan = text.toString();
      }
      assertThat(plan).as(plan).containsPattern("Index (Only )?Scan using \\S+ on " + partition + " ").doesNotContain("Seq Scan on " + partition + " ");
    }
    assertThat(s.read("ws", 1500, 1510)).extracting(Entry::seq).containsExactly(1500L, 1501L, 1502L, 1503L, 1504L, 1505L, 1506L, 1507L, 1508L, 1509L);
  }

  /** Appends until the store takes the batch (it answers 503 while backing off), within a deadline. */
  static List<AppendResult> retryUntilStored(PostgresEventStore s, String ws, String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return s.append(ws, batch(ws, prefix, 2)).join();
      } catch (CompletionException e) {
        if (!(e.getCause() instanceof JournalUnavailableException) || System.nanoTime() > deadline) throw e;
        Thread.sleep(50); // a retry pace, as a client's; the condition is the append succeeding
      }
    }
  }
}
