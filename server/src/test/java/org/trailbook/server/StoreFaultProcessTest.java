package org.trailbook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.server.FaultClients.acknowledge;
import static org.trailbook.server.FaultClients.batch;
import static org.trailbook.server.FaultClients.checkLog;
import static org.trailbook.server.FaultClients.clientIds;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.http.HttpClientForTests;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * The PostgreSQL store under faults, seen through HTTP as a client sees it: a real server process ({@code serve} with
 * {@code TRAILBOOK_STORE}) on a PostgreSQL of its own that the test stops and starts (fixed data directory and port),
 * or slows down by holding locks. Every answer is 201 or 503 with Retry-After, within the commit deadline plus a
 * margin (never a hang, never a 500); the server recovers by itself; nothing acknowledged is lost.
 */
class StoreFaultProcessTest {
  static final String ADMIN = "tba_store_fault_test_admin_key";
  /** The ingest deadline (IngestService.ACK_TIMEOUT, 10 s) plus a margin for a loaded machine. */
  static final long ANSWER_WITHIN_MS = 10_000 + 6_000;

  @TempDir Path root;
  private EmbeddedPostgres.Builder pgBuilder;
  private EmbeddedPostgres pg;
  private int pgPort;

  @BeforeEach
  void startPostgres() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      pgPort = s.getLocalPort();
    }
    pgBuilder = EmbeddedPostgres.builder().setDataDirectory(root.resolve("pg")).setCleanDataDirectory(false).setPort(pgPort)
        .setServerConfig("fsync", "on");
    pg = pgBuilder.start();
    try (Connection c = admin(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE faults");
    }
  }

  @AfterEach
  void stopPostgres() throws Exception {
    if (pg != null) pg.close();
  }

  @Test
  void theDatabaseRestartingUnderLoadLosesNothingAndTheServerRecoversByItself() throws Exception {
    try (ServerProcess s = startServer(Map.of())) {
      HttpClientForTests http = s.http();
      String key = workspaceKey(http, "load");
      FaultClients.Load load = new FaultClients.Load(http, key);
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        int client = c;
        clients.add(Thread.ofVirtual().start(() -> load.ingest("c" + client)));
      }
      await("ingest before the outage", 60, () -> load.acknowledged.size() >= 300);

      pg.close(); // a fast shutdown: the server's connections are cut, its data directory stays
      pg = null;
      int unavailableBefore = load.unavailable.get();
      await("503s during the outage", 60, () -> load.unavailable.get() >= unavailableBefore + 8);
      java.util.concurrent.atomic.AtomicReference<String> lastHealth = new java.util.concurrent.atomic.AtomicReference<>();
      await(() -> "/healthz degraded naming the store writer, last " + lastHealth, 30, () -> {
        HttpClientForTests.Response r = http.get("/healthz", null);
        lastHealth.set(r.status() + " " + r.body());
        return r.status() == 200 && r.json().get("status").asString().equals("degraded") && reasonOf(r.json(), "store_writer") != null;
      });
      JsonNode ready = http.get("/readyz", null).expect(503).json();
      assertThat(ready.path("status").asString()).as(ready.toString()).isEqualTo("not_ready");
      assertThat(reasonOf(ready, "store_writer").get("state").asString()).isEqualTo("backing_off");

      int ackedAtRestart = load.acknowledged.size();
      long restarted = System.nanoTime();
      pg = pgBuilder.start();
      await("ingest answering 201 again without restarting the server", 60, () -> load.acknowledged.size() >= ackedAtRestart + 300);
      long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
      await("/readyz ready again", 60, () -> http.get("/readyz", null).status() == 200);
      load.stop.set(true);
      for (Thread t : clients) t.join(60_000);

      assertThat(load.unexpected).as("answers other than 201 or 503 with Retry-After").isEmpty();
      assertThat(load.slowestMs.get()).as("the slowest answer (ms)").isLessThan(ANSWER_WITHIN_MS);
      assertThat(load.unavailable.get()).isGreaterThan(unavailableBefore);
      assertThat(load.codes).as("the codes of the 503s").isSubsetOf("unavailable", "overloaded");
      assertThat(recoveredMs).as("time to recover after the database came back (ms)").isLessThan(60_000);

      // the batches answered 503 may or may not be stored: re-sent with the same ids, each is stored exactly once
      for (ArrayNode batch : load.unresolved) {
        for (JsonNode a : http.post("/v1/events", key, batch.toString()).expect(201).json().get("events")) {
          load.acknowledged.put(a.get("id").asString(), a.get("seq").asLong());
        }
      }
      assertThat(clientIds(checkLog(http, key, load.acknowledged))).containsExactlyInAnyOrderElementsOf(load.acknowledged.keySet());
    }
  }

  @Test
  void aStatementTimeoutAnswers503AndIngestWorksOnceTheLockIsGone() throws Exception {
    try (ServerProcess s = startServer(Map.of("TRAILBOOK_STORE_STATEMENT_TIMEOUT_MS", "1500"))) {
      HttpClientForTests http = s.http();
      String key = workspaceKey(http, "slow");
      Map<String, Long> acknowledged = new HashMap<>();
      acknowledge(acknowledged, http.post("/v1/events", key, batch("before", 3).toString()).expect(201));

      try (Connection lock = store()) {
        lock.setAutoCommit(false);
        try (Statement st = lock.createStatement()) {
          st.executeQuery("SELECT * FROM workspace_heads WHERE workspace = 'slow' FOR UPDATE").close();
        }
        ArrayNode blocked = batch("blocked", 2);
        long started = System.nanoTime();
        HttpClientForTests.Response r = http.post("/v1/events", key, blocked.toString());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.header("Retry-After")).isNotNull();
        assertThat(r.json().get("error").get("message").asString()).contains("did not answer in time (statement timeout)").contains("retry");
        assertThat(ms).as("answered after the statement timeout, not the commit deadline").isGreaterThanOrEqualTo(1_400).isLessThan(8_000);
        lock.rollback();
      }
      // the writer backs off after the failure; ingest answers 201 again within a bound
      ArrayNode after = batch("after", 2);
      await("ingest answering 201 again", 30, () -> {
        HttpClientForTests.Response r = http.post("/v1/events", key, after.toString());
        if (r.status() == 201) acknowledge(acknowledged, r);
        else assertThat(r.status()).as(r.body()).isEqualTo(503);
        return r.status() == 201;
      });
      assertThat(clientIds(checkLog(http, key, acknowledged))).containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
    }
  }

  /**
   * The server's own pool exhausted, from outside: with two connections (the commit feed keeps one) and the table the
   * reads by id need locked, every request needing the store queues for the one connection left. Those that get it
   * meet the statement timeout, the rest the pool's connect timeout: all answer 503 with Retry-After in bounded time,
   * the probes answer at once, and everything works again once the lock is gone.
   */
  @Test
  void anExhaustedPoolAnswers503AndTheServerRecovers() throws Exception {
    try (ServerProcess s = startServer(Map.of("TRAILBOOK_STORE_POOL_SIZE", "2", "TRAILBOOK_STORE_STATEMENT_TIMEOUT_MS", "1500"))) {
      HttpClientForTests http = s.http();
      String key = workspaceKey(http, "busy");
      Map<String, Long> acknowledged = new ConcurrentHashMap<>();
      acknowledge(acknowledged, http.post("/v1/events", key, batch("seed", 3).toString()).expect(201));
      http.get("/v1/events/seed-0", key).expect(200);

      List<String> answers = java.util.Collections.synchronizedList(new ArrayList<>());
      List<ArrayNode> unresolved = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicLong slowestMs = new AtomicLong();
      try (Connection lock = store()) {
        lock.setAutoCommit(false);
        try (Statement st = lock.createStatement()) {
          st.execute("LOCK TABLE entry_ids IN ACCESS EXCLUSIVE MODE");
        }
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          int n = i;
          clients.add(Thread.ofVirtual().start(() -> {
            ArrayNode b = batch("busy-" + n, 2);
            long started = System.nanoTime();
            HttpClientForTests.Response r = n % 4 == 0 ? http.post("/v1/events", key, b.toString()) : http.get("/v1/events/seed-" + (n % 3), key);
            slowestMs.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), Math::max);
            if (n % 4 == 0) unresolved.add(b);
            answers.add(r.status() + " " + r.header("Retry-After") + " " + r.json().path("error").path("message").asString());
          }));
        }
        // the probes do not need the store's pool: they answer at once while every request for the store queues
        long started = System.nanoTime();
        http.get("/healthz", null);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("/healthz answer time (ms)").isLessThan(2_000);
        for (Thread t : clients) t.join(60_000);
        lock.rollback();
      }
      assertThat(answers).hasSize(12).allSatisfy(a -> assertThat(a).matches("503 \\d+ .*retry.*"));
      assertThat(answers).as("some requests found no connection in the pool").anySatisfy(a -> assertThat(a).contains("pool exhausted"));
      assertThat(slowestMs.get()).as("the slowest answer (ms)").isLessThan(ANSWER_WITHIN_MS);

      await("reads by id answering 200 again", 30, () -> http.get("/v1/events/seed-0", key).status() == 200);
      await("ingest answering 201 again", 30, () -> {
        HttpClientForTests.Response r = http.post("/v1/events", key, batch("after", 2).toString());
        if (r.status() == 201) acknowledge(acknowledged, r);
        return r.status() == 201;
      });
      for (ArrayNode b : unresolved) acknowledge(acknowledged, http.post("/v1/events", key, b.toString()).expect(201));
      assertThat(clientIds(checkLog(http, key, acknowledged))).containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
    }
  }

  // ------------------------------------------------------------------ helpers

  private ServerProcess startServer(Map<String, String> extra) throws java.io.IOException {
    Map<String, String> env = new HashMap<>(extra);
    env.put("TRAILBOOK_STORE", "postgresql://postgres@localhost:" + pgPort + "/faults");
    return ServerProcess.start(root.resolve("node"), ADMIN, List.of("-Xmx384m"), env);
  }

  private Connection admin() throws java.sql.SQLException {
    return DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/postgres", "postgres", null);
  }

  /** A connection of the test's own to the server's store (no statement timeout). */
  Connection store() throws java.sql.SQLException {
    return DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/faults", "postgres", null);
  }

  static String workspaceKey(HttpClientForTests http, String ws) {
    http.post("/v1/workspaces", ADMIN, "{\"id\":\"" + ws + "\"}").expect(201);
    return http.post("/v1/workspaces/" + ws + "/keys", ADMIN, "{\"name\":\"t\",\"scopes\":[\"ingest\",\"read\"]}").expect(201)
        .json().get("key").asString();
  }

  static JsonNode reasonOf(JsonNode probe, String part) {
    for (JsonNode r : probe.get("reasons")) if (r.get("part").asString().equals(part)) return r;
    return null;
  }

  /** Polls {@code condition} until it holds; fails after {@code seconds}. */
  static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
    await(() -> what, seconds, condition);
  }

  /** As above, with what is awaited told at the time of failure (it can say what was seen last). */
  static void await(java.util.function.Supplier<String> what, int seconds, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + seconds + " s waiting for " + what.get());
      Thread.sleep(50); // polling a condition with a deadline
    }
  }
}
