package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

class EventApiTest {
  @TempDir Path dir;
  TestServer server;
  HttpClientForTests http;
  String key;

  @BeforeEach
  void start() {
    server = TestServer.start(dir);
    http = server.http;
    key = server.workspaceWithKey("acme", "ingest", "read");
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void storesOneEventWithDefaultsAndServesItBackById() {
    JsonNode r = http.post("/v1/events", key, "{\"id\":\"evt-1\",\"action\":\"campaign.launched\",\"actor\":{\"name\":\"Riley Park\"},"
        + "\"resource\":{\"type\":\"campaign\",\"name\":\"Summer Sale\"}}").expect(201).json();
    assertThat(r.get("events").get(0).get("id").asString()).isEqualTo("evt-1");
    assertThat(r.get("events").get(0).get("duplicate").asBoolean()).isFalse();
    long seq = r.get("events").get(0).get("seq").asLong();

    JsonNode e = http.get("/v1/events/evt-1", key).expect(200).json();
    assertThat(e.get("workspace").asString()).isEqualTo("acme");
    assertThat(e.get("seq").asLong()).isEqualTo(seq);
    assertThat(e.get("category").asString()).isEqualTo("campaign");
    assertThat(e.get("type").asString()).isEqualTo("user_action");
    assertThat(e.get("status").asString()).isEqualTo("success");
    assertThat(e.get("layer").asString()).isEqualTo("workspace");
    assertThat(e.get("summary").asString()).contains("Riley Park").contains("Summer Sale");
    assertThat(e.get("received_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(e.get("prev_hash").asString()).hasSize(64);
  }

  @Test
  void assignsUuidV7IdsWhenNoneIsGiven() {
    JsonNode r = http.post("/v1/events", key, "{\"action\":\"user.invited\"}").expect(201).json();
    String id = r.get("events").get(0).get("id").asString();
    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    http.get("/v1/events/" + id, key).expect(200);
  }

  @Test
  void takesArraysAndNdjsonAndAnswersInRequestOrder() {
    JsonNode a = http.post("/v1/events", key, "[{\"id\":\"a\",\"action\":\"x.created\"},{\"id\":\"b\",\"action\":\"x.updated\"}]").expect(201).json();
    assertThat(a.get("events")).extracting(n -> n.get("id").asString()).containsExactly("a", "b");
    byte[] nd = "{\"id\":\"c\",\"action\":\"x.deleted\"}\n\n{\"id\":\"d\",\"action\":\"x.created\"}\n".getBytes(StandardCharsets.UTF_8);
    JsonNode b = http.post("/v1/events", key, "application/x-ndjson", nd).expect(201).json();
    assertThat(b.get("events")).extracting(n -> n.get("id").asString()).containsExactly("c", "d");
    assertThat(b.get("events")).extracting(n -> n.get("seq").asLong()).containsExactly(
        a.get("events").get(1).get("seq").asLong() + 1, a.get("events").get(1).get("seq").asLong() + 2);
  }

  @Test
  void aResentIdStoresNothingNewAndAnswersWithTheOriginal() {
    JsonNode first = http.post("/v1/events", key, "{\"id\":\"once\",\"action\":\"x.created\"}").expect(201).json();
    JsonNode again = http.post("/v1/events", key, "{\"id\":\"once\",\"action\":\"x.created\"}").expect(201).json();
    assertThat(again.get("events").get(0).get("duplicate").asBoolean()).isTrue();
    assertThat(again.get("events").get(0).get("seq").asLong()).isEqualTo(first.get("events").get(0).get("seq").asLong());
    assertThat(http.get("/v1/events/once", key).json().get("action").asString()).isEqualTo("x.created");
  }

  @Test
  void rejectsTheWholeBatchWhenOneEventIsInvalid() {
    long before = count();
    JsonNode err = http.post("/v1/events", key,
        "[{\"action\":\"ok.one\"},{\"action\":\"ok.two\"},{\"action\":\"ok.three\"},{\"action\":\"bad.one\",\"status\":\"great\"}]")
        .expect(400).json().get("error");
    assertThat(err.get("code").asString()).isEqualTo("invalid_event");
    JsonNode d = err.get("details").get(0);
    assertThat(d.get("index").asInt()).isEqualTo(3);
    assertThat(d.get("field").asString()).isEqualTo("status");
    assertThat(d.get("problem").asString()).isEqualTo("must be one of success, failure, warning, pending, in_progress");
    assertThat(count()).isEqualTo(before);
  }

  @Test
  void namesTheFieldOfAMissingAction() {
    JsonNode d = http.post("/v1/events", key, "{\"type\":\"auth\"}").expect(400).json().get("error").get("details").get(0);
    assertThat(d.get("field").asString()).isEqualTo("action");
  }

  @Test
  void refusesMalformedJsonWith400() {
    JsonNode err = http.post("/v1/events", key, "{\"action\": ").expect(400).json().get("error");
    assertThat(err.get("code").asString()).isEqualTo("invalid_json");
  }

  @Test
  void refusesOtherContentTypesWith415() {
    http.post("/v1/events", key, "text/plain", "{}".getBytes()).expect(415);
    http.post("/v1/events", key, null, "{\"action\":\"a.b\"}".getBytes()).expect(415);
  }

  @Test
  void pagesNewestFirstWithCursors() {
    for (int i = 0; i < 5; i++) http.post("/v1/events", key, "{\"id\":\"p" + i + "\",\"action\":\"x.created\"}").expect(201);
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = http.get("/v1/events?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), key).expect(200).json();
      page.get("events").forEach(e -> seen.add(e.get("id").asString()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
      // events arriving meanwhile do not shift the pages already begun
      http.post("/v1/events", key, "{\"action\":\"late.arrival\"}").expect(201);
    } while (cursor != null);
    assertThat(seen.subList(0, 5)).containsExactly("p4", "p3", "p2", "p1", "p0");
    assertThat(seen).doesNotHaveDuplicates();
  }

  @Test
  void refusesBadPagingParameters() {
    assertThat(http.get("/v1/events?limit=0", key).expect(400).json().get("error").get("details").get(0).get("field").asString()).isEqualTo("limit");
    http.get("/v1/events?limit=1001", key).expect(400);
    assertThat(http.get("/v1/events?cursor=zz", key).expect(400).json().get("error").get("details").get(0).get("field").asString()).isEqualTo("cursor");
  }

  @Test
  void requiresAKnownCredentialWithTheRightScope() {
    HttpClientForTests.Response none = http.get("/v1/events", null).expect(401);
    assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
    http.get("/v1/events", "tbk_not_a_key").expect(401);
    String ingestOnly = server.key("acme", "ingest");
    assertThat(http.get("/v1/events", ingestOnly).expect(403).json().get("error").get("message").asString()).contains("'read'");
    String readOnly = server.key("acme", "read");
    http.post("/v1/events", readOnly, "{\"action\":\"a.b\"}").expect(403);
    http.get("/v1/events", TestServer.ADMIN_KEY).expect(403);
  }

  @Test
  void aRevokedKeyIsRefusedAtOnce() {
    JsonNode created = http.post("/v1/workspaces/acme/keys", TestServer.ADMIN_KEY, "{\"name\":\"temp\",\"scopes\":[\"read\"]}").expect(201).json();
    String secret = created.get("key").asString();
    http.get("/v1/events", secret).expect(200);
    http.delete("/v1/workspaces/acme/keys/" + created.get("id").asString(), TestServer.ADMIN_KEY).expect(200);
    http.get("/v1/events", secret).expect(401);
  }

  @Test
  void neverShowsOneWorkspaceTheEventsOfAnother() {
    String other = server.workspaceWithKey("globex", "ingest", "read");
    http.post("/v1/events", other, "{\"id\":\"secret-plan\",\"action\":\"plan.created\"}").expect(201);
    http.post("/v1/events", key, "{\"id\":\"mine\",\"action\":\"plan.created\"}").expect(201);
    http.get("/v1/events/secret-plan", key).expect(404);
    JsonNode page = http.get("/v1/events?limit=1000", key).expect(200).json();
    assertThat(page.get("events")).extracting(e -> e.get("workspace").asString()).containsOnly("acme");
    assertThat(page.toString()).doesNotContain("secret-plan");
    // the workspace comes from the key, never from the body
    JsonNode err = http.post("/v1/events", key, "{\"action\":\"x.y\",\"workspace\":\"globex\"}").expect(400).json();
    assertThat(err.get("error").get("details").get(0).get("field").asString()).isEqualTo("workspace");
  }

  @Test
  void redactsSecretsBeforeAnythingReachesTheDisk() throws IOException {
    String secret = "sk_live_TopSecretValue123";
    http.post("/v1/events", key, "{\"id\":\"r1\",\"type\":\"api_call\",\"action\":\"api.request\",\"http\":{\"method\":\"POST\",\"url\":\"https://x.test/a?token="
        + secret + "\",\"status_code\":200,\"request\":{\"headers\":{\"Authorization\":\"Bearer " + secret + "\"},\"body\":{\"password\":\"" + secret
        + "\",\"plan\":\"pro\"}}}}").expect(201);
    String stored = http.get("/v1/events/r1", key).expect(200).body();
    assertThat(stored).doesNotContain(secret).contains("[REDACTED]").contains("\"plan\":\"pro\"");
    server.close();
    server = null;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(secret);
      }
    }
  }

  @Test
  void keepsEveryEventAcrossARestart() {
    for (int i = 0; i < 3; i++) http.post("/v1/events", key, "{\"id\":\"k" + i + "\",\"action\":\"x.created\"}").expect(201);
    String before = http.get("/v1/events?limit=1000", key).expect(200).body();
    server.close();
    server = TestServer.start(dir);
    http = server.http;
    assertThat(http.get("/v1/events?limit=1000", key).expect(200).body()).isEqualTo(before);
    JsonNode again = http.post("/v1/events", key, "[{\"id\":\"k2\",\"action\":\"x.created\"},{\"id\":\"k3\",\"action\":\"x.created\"}]").expect(201).json();
    assertThat(again.get("events").get(0).get("duplicate").asBoolean()).isTrue();
    assertThat(again.get("events").get(1).get("seq").asLong()).isEqualTo(count() - 1);
  }

  @Test
  void answersOversizedBodiesWith413NamingTheLimit() {
    server.close();
    ServerConfig small = ServerConfig.fromEnvironment(Map.of("TRAILBOOK_MAX_BODY_BYTES", "2000", "TRAILBOOK_MAX_EVENTS_PER_REQUEST", "3")).withDataDir(dir);
    server = TestServer.start(small);
    http = server.http;
    String big = "{\"action\":\"x.y\",\"metadata\":{\"blob\":\"" + "a".repeat(3000) + "\"}}";
    JsonNode err = http.post("/v1/events", key, big).expect(413).json().get("error");
    assertThat(err.get("message").asString()).contains("2000");
    JsonNode many = http.post("/v1/events", key, "[{\"action\":\"a.b\"},{\"action\":\"a.b\"},{\"action\":\"a.b\"},{\"action\":\"a.b\"}]").expect(413).json();
    assertThat(many.get("error").get("code").asString()).isEqualTo("too_many_events");
  }

  @Test
  void answersOverloadWith503AndRetryAfter() {
    server.close();
    server = TestServer.start(ServerConfig.fromEnvironment(Map.of()).withDataDir(dir).withMaxPendingEvents(2));
    http = server.http;
    HttpClientForTests.Response r = http.post("/v1/events", key, "[{\"action\":\"a.b\"},{\"action\":\"a.b\"},{\"action\":\"a.b\"}]").expect(503);
    assertThat(r.header("Retry-After")).isEqualTo("1");
    assertThat(r.json().get("error").get("code").asString()).isEqualTo("overloaded");
  }

  @Test
  void answersACallerOverItsRateWith429AndRetryAfter() {
    server.close();
    server = TestServer.start(ServerConfig.fromEnvironment(Map.of("TRAILBOOK_RATE_LIMIT", "1")).withDataDir(dir));
    http = server.http;
    http.get("/v1/events", key).expect(200);
    http.get("/v1/events", key).expect(200);
    HttpClientForTests.Response r = http.get("/v1/events", key).expect(429);
    assertThat(r.header("Retry-After")).isEqualTo("1");
    assertThat(r.json().get("error").get("code").asString()).isEqualTo("rate_limited");
  }

  @Test
  void answersUnknownRoutesWithJson404() {
    assertThat(http.get("/v1/nothing-here", key).expect(404).json().get("error").get("code").asString()).isEqualTo("not_found");
  }

  private long count() {
    return http.get("/v1/events?limit=1000", key).expect(200).json().get("events").size();
  }
}
