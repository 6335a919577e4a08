package org.trailbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.http.HttpClientForTests;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TrailbookServer;
import org.trailbook.verify.DataDirectoryVerifier;
import tools.jackson.databind.JsonNode;

/**
 * Retention end to end on PostgreSQL: a server whose clock is moved forward purges by policy through the run route;
 * the purged range answers 410, {@code verify --store} passes and names the purge, and a fresh node (its own empty
 * data directory on the same database) rebuilds its tree from the purged leaf hashes and the retained entries, matches
 * every checkpoint (else it would refuse writes) and proves a retained entry.
 */
class PostgresPurgeServerTest {
  private static final String ADMIN = "tba_test_admin_key_for_tests_only";
  @TempDir Path dir;

  private static ServerConfig config(Path data, String url) {
    return ServerConfig.fromEnvironment(Map.of()).withDataDir(data).withStore(Optional.of(StoreUrl.parse(url))).withHost("127.0.0.1")
        .withPort(0).withAdminKey(ADMIN).withShutdownTimeout(Duration.ofMillis(100));
  }

  /** Signs until the workspace's latest checkpoint covers its whole log (the tree appender follows the feed). */
  private static void awaitCheckpointAtHead(TrailbookServer server, PostgresEventStore store, String ws) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (server.integrity().latestCheckpointSize(ws) != store.size(ws)) {
      assertThat(System.nanoTime()).as("a checkpoint of %s at its head within 20 s", ws).isLessThan(deadline);
      server.integrity().signDue();
      LockSupport.parkNanos(20_000_000); // the poll interval, not a wait for the outcome
    }
  }

  /** A PUT as the platform admin; answers the status. */
  private static int put(String uri, String json) {
    try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
      java.net.http.HttpRequest r = java.net.http.HttpRequest.newBuilder(java.net.URI.create(uri)).header("Authorization", "Bearer " + ADMIN)
          .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build();
      return client.send(r, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aPurgeByPolicyOnPostgresLeavesALogThatVerifiesAndThatAFreshNodeRebuildsAndProves() {
    String url = TestPostgres.newDatabase();
    org.trailbook.retention.SettableClock clock = new org.trailbook.retention.SettableClock(Instant.now().minus(Duration.ofDays(100)));
    long purgedTo;
    long retainedSeq;
    try (PostgresEventStore store = PostgresEventStore.open(StoreUrl.parse(url));
        TrailbookServer a = TrailbookServer.start(config(dir.resolve("node-a"), url), clock)) {
      HttpClientForTests http = new HttpClientForTests("http://127.0.0.1:" + a.port());
      http.post("/v1/workspaces", ADMIN, "{\"id\":\"acme\"}").expect(201);
      String key = http.post("/v1/workspaces/acme/keys", ADMIN, "{\"name\":\"t\",\"scopes\":[\"ingest\",\"read\"]}").expect(201).json()
          .get("key").asString();
      for (int i = 0; i < 20; i++) http.post("/v1/events", key, "{\"id\":\"old-" + i + "\",\"action\":\"thing.done\"}").expect(201);
      clock.set(Instant.now());
      for (int i = 0; i < 5; i++) http.post("/v1/events", key, "{\"id\":\"new-" + i + "\",\"action\":\"thing.done\"}").expect(201);
      assertThat(put("http://127.0.0.1:" + a.port() + "/v1/workspaces/acme/retention", "{\"days\":30,\"archive\":false}")).isEqualTo(200);
      awaitCheckpointAtHead(a, store, "acme");

      JsonNode run = http.post("/v1/workspaces/acme/retention/run", ADMIN, "").expect(200).json();
      JsonNode purged = run.get("purged");
      assertThat(purged.isObject()).as(run.toString()).isTrue();
      assertThat(purged.get("removed").asLong()).isEqualTo(20);
      purgedTo = purged.get("to_seq").asLong();
      long recordSeq = purged.get("record_seq").asLong();
      assertThat(http.get("/v1/log/entries?start=0&end=" + purgedTo, key).status()).isEqualTo(410);
      assertThat(http.get("/v1/events/old-3", key).status()).isEqualTo(404);
      retainedSeq = store.findById("acme", "new-2").orElseThrow().seq();
      awaitCheckpointAtHead(a, store, "acme"); // the record is signed too

      DataDirectoryVerifier.Report report = PostgresLogVerifier.verify(StoreUrl.parse(url), null, null);
      assertThat(report.ok()).as(report.toString()).isTrue();
      assertThat(report.notes()).anySatisfy(n -> assertThat(n).startsWith("acme: entries 0..").contains("(20 removed)")
          .contains("record seq " + recordSeq));
    }
    try (TrailbookServer b = TrailbookServer.start(config(dir.resolve("node-b"), url), clock)) {
      HttpClientForTests http = new HttpClientForTests("http://127.0.0.1:" + b.port());
      String key = http.post("/v1/workspaces/acme/keys", ADMIN, "{\"name\":\"b\",\"scopes\":[\"ingest\",\"read\"]}").expect(201).json()
          .get("key").asString();
      http.post("/v1/events", key, "{\"id\":\"on-b\",\"action\":\"thing.done\"}").expect(201); // refused if the tree did not match
      long size = b.integrity().latestCheckpointSize("acme");
      assertThat(size).isGreaterThan(purgedTo);
      assertThat(http.get("/v1/log/proof/inclusion?index=" + retainedSeq + "&size=" + size, key).status()).isEqualTo(200);
      assertThat(http.get("/v1/log/proof/consistency?from=10&to=" + size, key).status()).isEqualTo(200);
    }
  }
}
