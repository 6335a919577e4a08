package org.trailbook.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/**
 * The live stream against hostile or careless clients, each on a real server with its own small limits: one tenant
 * cannot hold every slot (caps per credential and per workspace, checked atomically under a burst), a client that
 * vanishes gives its slot back within seconds, and a stream ends at its maximum lifetime with {@code event: resume}
 * from which the client continues without a gap. (Revocation: {@link StreamRevocationTest}.)
 */
class StreamSecurityTest {
  @TempDir Path dir;

  private static TestServer start(Path dir, StreamConfig stream) {
    return TestServer.start(ServerConfig.fromEnvironment(Map.of()).withDataDir(dir.resolve("data")).withStream(stream));
  }

  private static StreamConfig quick() {
    return StreamConfig.DEFAULTS.withHeartbeat(Duration.ofMillis(200));
  }

  static SseClient open(TestServer server, String key, String query, String lastEventId) {
    SseClient c = SseClient.open(server.server().port(), "/v1/events/stream" + query, key, lastEventId);
    if (c.status == 200) {
      c.startReading();
      assertThat(c.next().event()).isEqualTo("ready");
    }
    return c;
  }

  static void awaitCondition(String what, Duration within, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("%s within %s", what, within).isNegative();
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // the poll interval, not a wait for the outcome
    }
  }

  private static void assertRefused(SseClient c, int status, String setting) {
    assertThat(c.status).as("refused: %s", c.body()).isEqualTo(status);
    assertThat(c.headers.get("retry-after")).as("Retry-After").isNotNull();
    assertThat(Integer.parseInt(c.headers.get("retry-after"))).isPositive();
    assertThat(c.body()).contains(setting);
    c.close();
  }

  @Test
  void oneWorkspaceExhaustingItsShareLeavesTheOthersRoom() {
    try (TestServer server = start(dir, quick().withCaps(8, 4, 3))) {
      StreamHub hub = server.server().streams();
      String a1 = server.workspaceWithKey("tenant-a", "ingest", "read");
      String a2 = server.key("tenant-a", "read");
      String b1 = server.workspaceWithKey("tenant-b", "ingest", "read");
      String b2 = server.key("tenant-b", "read");
      String c1 = server.workspaceWithKey("tenant-c", "read");
      List<SseClient> open = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) open.add(open(server, a1, "", null));
        assertRefused(open(server, a1, "", null), 429, "TRAILBOOK_STREAM_MAX_PER_KEY");
        open.add(open(server, a2, "", null));
        // a second key does not get tenant A past its workspace's share
        SseClient refused = open(server, a2, "", null);
        assertThat(refused.body()).contains("too_many_streams");
        assertRefused(refused, 429, "TRAILBOOK_STREAM_MAX_PER_WORKSPACE");
        // tenant B still gets its streams, and they work
        List<SseClient> bs = new ArrayList<>();
        for (int i = 0; i < 3; i++) bs.add(open(server, b1, "", null));
        bs.add(open(server, b2, "?type=user_action", null));
        bs.forEach(c -> assertThat(c.status).isEqualTo(200));
        open.addAll(bs);
        server.http.post("/v1/events", b1, "{\"id\":\"b-0\",\"type\":\"user_action\",\"action\":\"x.y\"}").expect(201);
        for (SseClient c : bs) assertThat(Json.MAPPER.readTree(c.nextEntry().data()).get("id").asString()).isEqualTo("b-0");
        // the node is full now: 503, naming the node's cap
        assertThat(hub.active()).isEqualTo(8);
        assertRefused(open(server, c1, "", null), 503, "TRAILBOOK_STREAM_MAX");
        // a stream that ends gives its slot back to its key, its workspace and the node
        open.removeFirst().close();
        awaitCondition("the closed stream's slot is free", Duration.ofSeconds(5), () -> hub.active() == 7);
        SseClient again = open(server, a1, "", null);
        assertThat(again.status).isEqualTo(200);
        open.add(again);
        JsonNode streams = server.http.get("/healthz", null).expect(200).json().get("streams");
        assertThat(streams.get("active").asLong()).isEqualTo(8);
        assertThat(streams.get("refused_total").asLong()).isEqualTo(3);
        assertThat(streams.get("opened_total").asLong() - streams.get("closed_total").asLong()).isEqualTo(8);
      } finally {
        open.forEach(SseClient::close);
      }
    }
  }

  @Test
  void aBurstOfConcurrentOpensNeverGetsPastACap() throws InterruptedException {
    // node 5 (checked first), a key's 3: concurrent opens must not all pass a check made before any of them counted
    try (TestServer server = start(dir, quick().withCaps(5, 100, 3))) {
      StreamHub hub = server.server().streams();
      List<String> keys = new ArrayList<>();
      keys.add(server.workspaceWithKey("burst", "read"));
      for (int i = 1; i < 8; i++) keys.add(server.key("burst", "read"));
      int n = 32;
      record Attempt(String key, SseClient client) {}
      List<Attempt> attempts = java.util.Collections.synchronizedList(new ArrayList<>());
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String key = i % 2 == 0 ? keys.getFirst() : keys.get(1 + i % 7); // half of the burst on one key
        threads.add(Thread.ofVirtual().start(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          attempts.add(new Attempt(key, SseClient.open(server.server().port(), "/v1/events/stream", key, null)));
        }));
      }
      go.countDown();
      for (Thread t : threads) t.join(Duration.ofSeconds(30));
      try {
        assertThat(attempts).hasSize(n);
        List<Attempt> admitted = attempts.stream().filter(a -> a.client().status == 200).toList();
        assertThat(admitted).hasSize(5);
        assertThat(admitted.stream().filter(a -> a.key().equals(keys.getFirst())).count()).isLessThanOrEqualTo(3);
        assertThat(attempts.stream().map(a -> a.client().status)).allMatch(status -> status == 200 || status == 429 || status == 503);
        assertThat(hub.active()).isEqualTo(5);
        assertThat(hub.refusedTotal()).isEqualTo(n - 5);
      } finally {
        attempts.forEach(a -> a.client().close());
      }
    }
  }

  @Test
  void aClientThatVanishesGivesItsSlotBackWithinSeconds() {
    // heartbeat 200 ms: a stream with nothing to send writes a keep-alive that fails once the client is gone
    try (TestServer server = start(dir, quick().withCaps(1000, 100, 4))) {
      StreamHub hub = server.server().streams();
      String key = server.workspaceWithKey("vanish", "ingest", "read");
      List<SseClient> clients = new ArrayList<>();
      for (int i = 0; i < 4; i++) clients.add(open(server, key, i % 2 == 0 ? "" : "?type=auth", null));
      assertThat(hub.active()).isEqualTo(4);
      assertRefused(open(server, key, "", null), 429, "TRAILBOOK_STREAM_MAX_PER_KEY");
      long closedBefore = hub.closedTotal();
      long t0 = System.nanoTime();
      clients.get(0).closeAbruptly(); // a reset, as from a crashed client
      clients.get(1).closeAbruptly();
      clients.get(2).close(); // an orderly close that the server, not reading, only notices when it writes
      clients.get(3).close();
      awaitCondition("every vanished client's slot is free", Duration.ofSeconds(5), () -> hub.active() == 0);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      assertThat(hub.closedTotal() - closedBefore).isEqualTo(4);
      // and the key's share is whole again
      List<SseClient> again = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) again.add(open(server, key, "", null));
        again.forEach(c -> assertThat(c.status).isEqualTo(200));
      } finally {
        again.forEach(SseClient::close);
      }
    }
  }

  @Test
  void aStreamEndsAtItsMaximumLifetimeAndTheClientResumesWithoutAGap() throws InterruptedException {
    Duration lifetime = Duration.ofMillis(1500);
    try (TestServer server = start(dir, quick().withMaxLifetime(lifetime))) {
      StreamHub hub = server.server().streams();
      String key = server.workspaceWithKey("lifetime", "ingest", "read");
      AtomicBoolean stop = new AtomicBoolean();
      // events keep arriving across the cut and the reconnect, so a gap or a repeat would show
      Thread ingester = Thread.ofVirtual().start(() -> {
        for (int i = 0; !stop.get(); i++) server.http.post("/v1/events", key, "{\"id\":\"l-" + i + "\",\"action\":\"x.y\"}").expect(201);
      });
      List<Long> seqs = new ArrayList<>();
      SseClient.Event resume;
      long opened = System.nanoTime();
      try (SseClient first = open(server, key, "?after=-1", null)) {
        SseClient.Event e;
        while ((e = first.next()).event().equals("entry")) seqs.add(Long.parseLong(e.id()));
        resume = e;
        Duration lived = Duration.ofNanos(System.nanoTime() - opened);
        assertThat(resume.event()).isEqualTo("resume");
        assertThat(Json.MAPPER.readTree(resume.data()).get("reason").asString()).isEqualTo("max_lifetime");
        assertThat(first.next()).as("the server closes the stream after it").isSameAs(SseClient.END);
        // the deadline is spread by up to a tenth below the lifetime; the upper bound leaves room for a slow machine
        assertThat(lived).isGreaterThan(lifetime.multipliedBy(8).dividedBy(10)).isLessThan(lifetime.plusSeconds(3));
      }
      assertThat(hub.lifetimeEndedTotal()).isEqualTo(1);
      assertThat(seqs).isNotEmpty();
      assertThat(resume.id()).isEqualTo(Long.toString(seqs.getLast()));
      // a client that reconnects on every resume, as EventSource does, until well past the first cut
      long target = seqs.getLast() + 50;
      String cursor = resume.id();
      try {
        while (seqs.getLast() < target) {
          try (SseClient again = open(server, key, "", cursor)) {
            SseClient.Event e;
            while ((e = again.next()).event().equals("entry") && Long.parseLong(e.id()) < target) seqs.add(Long.parseLong(e.id()));
            if (e.event().equals("entry")) {
              seqs.add(Long.parseLong(e.id()));
            } else {
              assertThat(e.event()).isEqualTo("resume");
              assertThat(e.id()).isEqualTo(Long.toString(seqs.getLast()));
              cursor = e.id();
            }
          }
        }
      } finally {
        stop.set(true);
        ingester.join(Duration.ofSeconds(10));
      }
      for (int i = 0; i < seqs.size(); i++) assertThat(seqs.get(i)).as("seq #%d", i).isEqualTo((long) i);
    }
  }
}
