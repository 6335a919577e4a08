package org.trailbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trailbook.postgres.PostgresEventStoreNodesTest.batch;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.trailbook.journal.AppendResult;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStoreContract;
import org.trailbook.journal.Purge;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;

/**
 * The PostgreSQL purge under failure and concurrency: a purge cut off half way leaves the state before, writers and a
 * second node's purge of the same workspace meanwhile keep seqs, chain and leaf hashes right, and a purge is not bound
 * by the pool's statement timeout.
 */
class PostgresPurgeTest {
  private static final String WS = "ws";
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final TreeHasher hasher = new TreeHasher();
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void closeAll() throws Exception {
    threads.shutdownNow();
    for (AutoCloseable c : opened.reversed()) c.close();
  }

  private PostgresEventStore node(StoreUrl url, Duration statementTimeout) {
    PostgresDatabase db = PostgresDatabase.open(url, new PostgresDatabase.Options(8, Duration.ofSeconds(2), statementTimeout));
    opened.add(db);
    PostgresEventStore s = PostgresEventStore.open(db);
    opened.add(s);
    return s;
  }

  private PostgresEventStore node(StoreUrl url) {
    return node(url, Duration.ofSeconds(10));
  }

  static Connection raw(StoreUrl url) throws Exception {
    return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password().orElse(null));
  }

  static long count(StoreUrl url, String sql) throws Exception {
    try (Connection c = raw(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Waits until a backend of the database runs a statement starting with {@code query} and waits for a lock; answers its pid. */
  private static int awaitBackendWaitingOnLock(Connection observer, String query) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try (Statement st = observer.createStatement(); ResultSet rs = st.executeQuery(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '"
              + query + "%'")) {
        if (rs.next()) return rs.getInt(1);
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("no backend waited on a lock running: " + query);
  }

  /** Waits until a backend of the database runs a statement starting with {@code query}. */
  private static void awaitBackend(Connection observer, String query) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try (Statement st = observer.createStatement(); ResultSet rs = st.executeQuery(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '" + query + "%'")) {
        if (rs.next()) return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("no backend ran: " + query);
  }

  private static List<Entry> appendAll(PostgresEventStore s, int n) {
    for (int i = 0; i < n; i += 10) s.append(WS, batch(WS, "e" + i + "-", Math.min(10, n - i))).join();
    return s.read(WS, 0, n);
  }

  private byte[] leaves(List<Entry> entries) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Entry e : entries) out.writeBytes(hasher.leafHash(e.canonical()).toBytes());
    return out.toByteArray();
  }

  @Test
  void aPurgeWhoseConnectionIsTerminatedHalfWayLeavesTheStateBefore() throws Exception {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresEventStore s = node(url);
    List<Entry> original = appendAll(s, 50);
    CompletableFuture<Purge> purge;
    try (Connection holder = raw(url); Statement st = holder.createStatement(); Connection observer = raw(url)) {
      holder.setAutoCommit(false);
      // a writer holds the head row: the purge does all its work, then waits in its last statement (the horizon)
      st.execute("SELECT * FROM workspace_heads WHERE workspace = '" + WS + "' FOR UPDATE");
      purge = CompletableFuture.supplyAsync(() -> s.purge(WS, 40, new long[] {3}, "cut off"), threads);
      int pid = awaitBackendWaitingOnLock(observer, "UPDATE workspace_heads SET purged_before");
      try (Statement o = observer.createStatement()) {
        o.execute("SELECT pg_terminate_backend(" + pid + ")");
      }
      assertThatThrownBy(purge::join).cause().hasMessageContaining("the database connection failed");
      holder.rollback();
    }
    assertThat(s.read(WS, 0, 50)).extracting(Entry::canonical).containsExactlyElementsOf(original.stream().map(Entry::canonical).toList());
    assertThat(s.purgedBefore(WS)).isZero();
    assertThat(s.purges(WS)).isEmpty();
    assertThat(s.findById(WS, "e0-0")).isPresent();
    assertThat(count(url, "SELECT count(*) FROM purged_leaves")).isZero();
    assertThat(count(url, "SELECT count(*) FROM entry_ids")).isEqualTo(50);
    // and the same purge then goes through
    Purge p = s.purge(WS, 40, new long[] {3}, "again");
    assertThat(p.removed()).isEqualTo(39);
    assertThat(s.purgedLeaves(WS, 0, 40)).isEqualTo(leaves(original.subList(0, 40)));
    assertThat(count(url, "SELECT count(*) FROM entry_ids")).as("the ids of purged entries are gone").isEqualTo(11);
  }

  @Test
  void appendsWhilePurgesRunKeepSeqsTheChainAndTheLeafHashes() throws Exception {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresEventStore writer = node(url);
    PostgresEventStore purger = node(url); // another node
    AtomicBoolean stop = new AtomicBoolean();
    List<AppendResult> acked = new ArrayList<>();
    CompletableFuture<Void> appends = CompletableFuture.runAsync(() -> {
      for (int n = 0; !stop.get() || n < 20; n++) acked.addAll(writer.append(WS, batch(WS, "a" + n + "-", 7)).join());
    }, threads);
    Map<Long, Hash> seen = new HashMap<>(); // every leaf hash, read before any purge could remove it
    long horizon = 0, kept = 0;
    int purges = 0;
    while (purges < 15) {
      long size = purger.size(WS);
      for (Entry e : purger.read(WS, seen.size(), size)) seen.put(e.seq(), hasher.leafHash(e.canonical()));
      long to = Math.min(seen.size(), horizon + 17);
      if (to > horizon && purger.purge(WS, to, new long[] {horizon}, "while writing") != null) {
        kept = horizon;
        horizon = to;
        purges++;
      }
    }
    stop.set(true);
    appends.join();
    long size = writer.size(WS);
    assertThat(acked).extracting(AppendResult::seq).containsExactlyElementsOf(java.util.stream.LongStream.range(0, size).boxed().toList());
    for (Entry e : writer.read(WS, seen.size(), size)) seen.put(e.seq(), hasher.leafHash(e.canonical()));
    byte[] purgedLeaves = writer.purgedLeaves(WS, 0, horizon);
    for (long seq = 0; seq < horizon; seq++) {
      assertThat(Hash.of(java.util.Arrays.copyOfRange(purgedLeaves, (int) seq * 32, (int) seq * 32 + 32))).as("leaf " + seq).isEqualTo(seen.get(seq));
    }
    List<Entry> retained = writer.read(WS, 0, size);
    for (Entry e : retained) {
      assertThat(e.json().get("seq").asLong()).isEqualTo(e.seq());
      assertThat(hasher.leafHash(e.canonical())).isEqualTo(seen.get(e.seq()));
      Hash prev = e.seq() == 0 ? Hash.ZERO : seen.get(e.seq() - 1);
      assertThat(e.json().get("prev_hash").asString()).as("prev_hash of seq " + e.seq()).isEqualTo(prev.hex());
    }
    // only the kept seq of the last purge survives below the horizon (each purge dropped the one kept before)
    assertThat(retained.getFirst().seq()).isEqualTo(kept);
    assertThat(retained).hasSize((int) (size - horizon) + 1);
    assertThat(writer.purges(WS)).hasSize(15);
  }

  @Test
  void twoNodesPurgingOneWorkspaceAtOnceTakeTurns() throws Exception {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresEventStore a = node(url);
    PostgresEventStore b = node(url);
    List<Entry> original = appendAll(a, 100);
    long changeId = count(url, "SELECT change_id FROM workspace_heads WHERE workspace = '" + WS + "'");
    CompletableFuture<Purge> first, second;
    try (Connection holder = raw(url); Statement st = holder.createStatement(); Connection observer = raw(url)) {
      holder.setAutoCommit(false);
      st.execute("SELECT * FROM workspace_heads WHERE workspace = '" + WS + "' FOR UPDATE");
      first = CompletableFuture.supplyAsync(() -> a.purge(WS, 60, new long[0], "node a"), threads);
      awaitBackendWaitingOnLock(observer, "UPDATE workspace_heads SET purged_before");
      second = CompletableFuture.supplyAsync(() -> b.purge(WS, 80, new long[] {70}, "node b"), threads);
      awaitBackendWaitingOnLock(observer, "select pg_advisory_xact_lock"); // b waits for a's purge, not beside it
      holder.rollback();
    }
    Purge pa = first.join(), pb = second.join();
    assertThat(pa.fromSeq()).isZero();
    assertThat(pa.toSeq()).isEqualTo(60);
    assertThat(pa.removed()).isEqualTo(60);
    assertThat(pb.fromSeq()).isEqualTo(60);
    assertThat(pb.removed()).isEqualTo(19);
    assertThat(b.purges(WS)).containsExactly(pa, pb);
    assertThat(a.purgedLeaves(WS, 0, 80)).isEqualTo(leaves(original.subList(0, 80)));
    assertThat(a.read(WS, 0, 100)).extracting(Entry::seq).first().isEqualTo(70L);
    assertThat(count(url, "SELECT count(*) FROM purged_leaves")).isEqualTo(1);
    // the commit feed sees no change: a purge moves neither the size nor the change id
    assertThat(count(url, "SELECT change_id FROM workspace_heads WHERE workspace = '" + WS + "'")).isEqualTo(changeId);
    assertThat(a.size(WS)).isEqualTo(100);
  }

  @Test
  void leafHashesSpanSeveralChunksAndAnyRangeReadsBack() throws Exception {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresEventStore s = node(url);
    int n = 2 * PostgresPurge.CHUNK + 100;
    for (int i = 0; i < n; i += 1000) s.append(WS, batch(WS, "e" + i + "-", Math.min(1000, n - i))).join();
    List<Entry> original = s.read(WS, 0, n);
    s.purge(WS, PostgresPurge.CHUNK - 5, new long[0], "part of the first chunk");
    s.purge(WS, PostgresPurge.CHUNK + 7, new long[0], "across a chunk boundary");
    s.purge(WS, n - 1, new long[0], null); // a purge without a reason, as the embedded store allows
    assertThat(s.purges(WS).getLast().reason()).isNull();
    assertThat(count(url, "SELECT count(*) FROM purged_leaves")).isEqualTo(3);
    assertThat(s.purgedLeaves(WS, 0, n - 1)).isEqualTo(leaves(original.subList(0, n - 1)));
    int[][] ranges = {{0, 1}, {4090, 4100}, {PostgresPurge.CHUNK, PostgresPurge.CHUNK + 1}, {100, n - 1}, {n - 2, n - 1}};
    for (int[] r : ranges) assertThat(s.purgedLeaves(WS, r[0], r[1])).isEqualTo(leaves(original.subList(r[0], r[1])));
    assertThatThrownBy(() -> s.purgedLeaves(WS, 0, n)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writersOfTheWorkspaceGoOnWhileAPurgeRunsUntilItsLastStatement() throws Exception {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresEventStore s = node(url);
    appendAll(s, 20);
    try (Connection c = raw(url); Statement st = c.createStatement()) {
      // a purge that spends a long time deleting, as of millions of rows
      st.execute("CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(5); RETURN NULL; END $$");
      st.execute("CREATE TRIGGER slow_delete AFTER DELETE ON entries FOR EACH STATEMENT EXECUTE FUNCTION slow()");
    }
    CompletableFuture<Purge> purge = CompletableFuture.supplyAsync(() -> s.purge(WS, 10, new long[0], "slow"), threads);
    try (Connection observer = raw(url)) {
      awaitBackend(observer, "WITH d AS (DELETE FROM entries");
    }
    // appends of the same workspace (an id the purge is removing among them) are answered while the purge deletes
    List<AppendResult> r = s.append(WS, List.of(EventStoreContract.pending(WS, "e0-3", "thing.created"),
        EventStoreContract.pending(WS, "new", "thing.created"))).join();
    assertThat(purge).as("the purge is still deleting").isNotDone();
    assertThat(r).containsExactly(new AppendResult("e0-3", 3, true), new AppendResult("new", 20, false));
    assertThat(purge.join().removed()).isEqualTo(10);
    assertThat(s.read(WS, 0, 21)).extracting(Entry::seq).first().isEqualTo(10L);
  }

  @Test
  void aPurgeMayTakeLongerThanThePoolsStatementTimeout() throws Exception {
    StoreUrl url = StoreUrl.parse(TestPostgres.newDatabase());
    PostgresEventStore s = node(url, Duration.ofMillis(300));
    appendAll(s, 20);
    try (Connection c = raw(url); Statement st = c.createStatement()) {
      // a slow delete, as of millions of rows
      st.execute("CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(1); RETURN NULL; END $$");
      st.execute("CREATE TRIGGER slow_delete AFTER DELETE ON entries FOR EACH STATEMENT EXECUTE FUNCTION slow()");
    }
    assertThat(s.purge(WS, 10, new long[0], "slow").removed()).isEqualTo(10);
    assertThat(s.read(WS, 0, 20)).hasSize(10);
  }
}
