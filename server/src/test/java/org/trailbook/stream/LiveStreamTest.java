package org.trailbook.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/events/stream} against a real server: delivery as events are ingested, resume with Last-Event-ID
 * across a disconnect without gaps or duplicates, filters, heartbeats, slow consumers cut off with bounded memory, and
 * many subscribers at once.
 */
class LiveStreamTest {
  static final int BUFFER = 16 * 1024;
  @TempDir static Path dir;
  static TestServer server;
  static int port;

  @BeforeAll
  static void start() {
    // caps raised: this class tests delivery (hundreds of subscribers of one key); StreamSecurityTest tests the caps
    StreamConfig stream = StreamConfig.DEFAULTS.withHeartbeat(Duration.ofMillis(200)).withBuffer(BUFFER, Duration.ofMillis(300)).withCaps(1000, 1000, 1000);
    server = TestServer.start(ServerConfig.fromEnvironment(Map.of()).withDataDir(dir.resolve("data")).withStream(stream));
    port = server.server().port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void ingest(String key, String... events) {
    server.http.post("/v1/events", key, "[" + String.join(",", events) + "]").expect(201);
  }

  private static String event(String id, String type, String action) {
    return "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"action\":\"" + action + "\"}";
  }

  private static SseClient connect(String query, String key, String lastEventId) {
    SseClient c = SseClient.open(port, "/v1/events/stream" + query, key, lastEventId);
    assertThat(c.status).as("status: %s", c.body()).isEqualTo(200);
    c.startReading();
    SseClient.Event ready = c.next();
    assertThat(ready.event()).isEqualTo("ready");
    return c;
  }

  @Test
  void resumingWithLastEventIdMissesNothingAndRepeatsNothing() {
    String key = server.workspaceWithKey("resume", "ingest", "read");
    ingest(key, event("old", "user_action", "thing.old")); // before the stream: not part of a live tail
    List<SseClient.Event> seen = new ArrayList<>();
    try (SseClient first = connect("", key, null)) {
      for (int i = 0; i < 5; i++) ingest(key, event("a" + i, "user_action", "thing.done"));
      for (int i = 0; i < 5; i++) seen.add(first.nextEntry());
    }
    String last = seen.getLast().id();
    for (int i = 0; i < 7; i++) ingest(key, event("b" + i, "user_action", "thing.done")); // while disconnected
    try (SseClient again = connect("", key, last)) {
      for (int i = 0; i < 7; i++) seen.add(again.nextEntry());
      ingest(key, event("c0", "user_action", "thing.done"), event("c1", "user_action", "thing.done"));
      seen.add(again.nextEntry());
      seen.add(again.nextEntry());
    }
    List<String> ids = seen.stream().map(e -> Json.MAPPER.readTree(e.data()).get("id").asString()).toList();
    assertThat(ids).containsExactly("a0", "a1", "a2", "a3", "a4", "b0", "b1", "b2", "b3", "b4", "b5", "b6", "c0", "c1");
    List<Long> seqs = seen.stream().map(e -> Long.parseLong(e.id())).toList();
    for (int i = 0; i < seqs.size(); i++) assertThat(seqs.get(i)).isEqualTo(seqs.getFirst() + i);
    // the data is the canonical entry, byte for byte
    String stored = server.http.get("/v1/events/b3", key).expect(200).body();
    assertThat(seen.get(8).data()).isEqualTo(stored);
  }

  @Test
  void afterParameterReplaysFromAPosition() {
    String key = server.workspaceWithKey("replay", "ingest", "read");
    ingest(key, event("r0", "auth", "auth.login"), event("r1", "auth", "auth.login"), event("r2", "auth", "auth.login"));
    try (SseClient c = connect("?after=-1", key, null)) {
      assertThat(List.of(c.nextEntry().id(), c.nextEntry().id(), c.nextEntry().id())).containsExactly("0", "1", "2");
    }
  }

  @Test
  void aFilteredStreamSeesOnlyMatchingEventsAndResumes() {
    String key = server.workspaceWithKey("filtered", "ingest", "read");
    List<String> got = new ArrayList<>();
    String last;
    try (SseClient c = connect("?type=auth&q=-action:auth.logout", key, null)) {
      ingest(key, event("f0", "user_action", "thing.done"), event("f1", "auth", "auth.login"), event("f2", "auth", "auth.logout"),
          event("f3", "auth", "auth.login_failed"), event("f4", "system_event", "job.run"));
      SseClient.Event a = c.nextEntry();
      SseClient.Event b = c.nextEntry();
      got.add(Json.MAPPER.readTree(a.data()).get("id").asString());
      got.add(Json.MAPPER.readTree(b.data()).get("id").asString());
      last = b.id();
    }
    ingest(key, event("f5", "auth", "auth.logout"), event("f6", "auth", "auth.mfa"), event("f7", "user_action", "x.y"));
    try (SseClient c = connect("?type=auth&q=-action:auth.logout", key, last)) {
      got.add(Json.MAPPER.readTree(c.nextEntry().data()).get("id").asString());
      ingest(key, event("f8", "auth", "auth.login"));
      got.add(Json.MAPPER.readTree(c.nextEntry().data()).get("id").asString());
    }
    assertThat(got).containsExactly("f1", "f3", "f6", "f8");
  }

  @Test
  void badFiltersAndResumePointsAre400BeforeTheStreamStarts() {
    String key = server.workspaceWithKey("bad", "ingest", "read");
    SseClient c = SseClient.open(port, "/v1/events/stream?status=nope", key, null);
    assertThat(c.status).isEqualTo(400);
    assertThat(c.body()).contains("status");
    c.close();
    SseClient q = SseClient.open(port, "/v1/events/stream?q=%22unclosed", key, null);
    assertThat(q.status).isEqualTo(400);
    q.close();
    SseClient id = SseClient.open(port, "/v1/events/stream", key, "99");
    assertThat(id.status).isEqualTo(400);
    assertThat(id.body()).contains("Last-Event-ID").contains("beyond the end");
    id.close();
    SseClient scope = SseClient.open(port, "/v1/events/stream", server.key("bad", "ingest"), null);
    assertThat(scope.status).isEqualTo(403);
    scope.close();
  }

  @Test
  void anIdleStreamGetsHeartbeats() throws InterruptedException {
    String key = server.workspaceWithKey("idle", "ingest", "read");
    try (SseClient c = connect("", key, null)) {
      assertThat(c.nextComment(Duration.ofSeconds(10))).isEqualTo(": keep-alive");
      assertThat(c.nextComment(Duration.ofSeconds(10))).isEqualTo(": keep-alive");
    }
  }

  @Test
  void aConsumerThatStopsReadingIsCutOffWithAResumeMessageAndBoundedMemory() {
    String key = server.workspaceWithKey("slow", "ingest", "read");
    StreamHub hub = server.server().streams();
    long cutBefore = hub.slowDisconnects();
    String padding = "x".repeat(8000);
    SseClient c = SseClient.open(port, "/v1/events/stream", key, null, 4096); // never read until it is cut off
    assertThat(c.status).isEqualTo(200);
    long ingestedBytes = 0;
    int n = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (hub.slowDisconnects() == cutBefore) {
      assertThat(System.nanoTime()).as("the slow consumer is cut off within 60 s").isLessThan(deadline);
      StringBuilder batch = new StringBuilder("[");
      for (int i = 0; i < 50; i++, n++) {
        batch.append(i > 0 ? "," : "").append("{\"id\":\"s").append(n).append("\",\"action\":\"bulk.add\",\"metadata\":{\"pad\":\"").append(padding).append("\"}}");
      }
      server.http.post("/v1/events", key, batch.append("]").toString()).expect(201);
      ingestedBytes += 50L * padding.length();
    }
    // the server held at most its buffer plus one message, however much was ingested meanwhile
    assertThat(ingestedBytes).isGreaterThan(20L * BUFFER);
    assertThat(hub.peakBufferedBytes()).isLessThanOrEqualTo(BUFFER + padding.length() + 2048);
    // reading now: what was buffered, then the resume message, then the end
    c.startReading();
    List<SseClient.Event> entries = new ArrayList<>();
    SseClient.Event e;
    while ((e = c.next()) != SseClient.END) {
      if (e.event().equals("entry")) entries.add(e);
      else if (e.event().equals("resume")) break;
    }
    assertThat(e.event()).isEqualTo("resume");
    assertThat(Json.MAPPER.readTree(e.data()).get("reason").asString()).isEqualTo("slow_consumer");
    assertThat(c.next()).isSameAs(SseClient.END);
    c.close();
    String resumeId = e.id();
    if (!entries.isEmpty()) assertThat(resumeId).isEqualTo(entries.getLast().id());
    // resuming from it delivers the rest, from the very next seq
    try (SseClient again = connect("", key, resumeId)) {
      SseClient.Event next = again.nextEntry();
      assertThat(Long.parseLong(next.id())).isEqualTo(Long.parseLong(resumeId) + 1);
    }
  }

  @Test
  void hundredsOfSubscribersEachGetEveryEvent() {
    String key = server.workspaceWithKey("many", "ingest", "read");
    StreamHub hub = server.server().streams();
    List<SseClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) clients.add(connect(i % 2 == 0 ? "" : "?action=deploy.*", key, null));
      ingest(key, event("m0", "system_event", "deploy.started"), event("m1", "system_event", "deploy.done"));
      for (SseClient c : clients) {
        JsonNode a = Json.MAPPER.readTree(c.nextEntry().data());
        JsonNode b = Json.MAPPER.readTree(c.nextEntry().data());
        assertThat(List.of(a.get("id").asString(), b.get("id").asString())).containsExactly("m0", "m1");
      }
      assertThat(hub.active()).isGreaterThanOrEqualTo(200);
    } finally {
      clients.forEach(SseClient::close);
    }
  }
}
