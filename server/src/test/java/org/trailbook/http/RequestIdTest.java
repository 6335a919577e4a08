package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;

/**
 * Every answer has an {@code X-Request-Id} — successes, every kind of error (from handlers, the exception mapping, the
 * router, the body gate before it reads a byte), the page and the live stream — each request its own, and every JSON
 * error body quotes it as {@code error.request_id}. A caller's well-formed id is echoed; anything else is replaced.
 */
class RequestIdTest {
  private static final String GENERATED = "[0-9a-f]{16}";
  @TempDir Path dir;
  TestServer server;
  HttpClientForTests http;
  String key;
  String ingestOnly;
  final Set<String> seen = new HashSet<>();

  @BeforeEach
  void start() {
    server = TestServer.start(ServerConfig.fromEnvironment(Map.of("TRAILBOOK_MAX_BODY_BYTES", "4096")).withDataDir(dir));
    http = server.http;
    key = server.workspaceWithKey("acme", "ingest", "read", "export", "admin");
    ingestOnly = server.key("acme", "ingest");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void everyAnswerHasItsOwnRequestIdAndEveryErrorBodyQuotesIt() {
    assertId(http.get("/healthz", null), 200);
    assertId(http.get("/openapi.json", null), 200);
    assertId(http.get("/ui/assets/app.js", null), 200);
    assertId(http.get("/v1/events", key), 200);
    assertId(http.post("/v1/events", key, "{\"id\":\"e1\",\"action\":\"contact.created\"}"), 201);
    assertId(http.get("/v1/events/e1", key), 200);
    assertId(http.get("/v1/exports/download?format=ndjson", key), 200);
    assertId(http.post("/v1/events", key, "{\"action\":"), 400);
    assertId(http.get("/v1/events", null), 401);
    assertId(http.get("/v1/events", ingestOnly), 403);
    assertId(http.get("/v1/events/nope", key), 404);
    assertId(http.get("/v1/no-such-route", key), 404);
    assertId(http.get("/no-such-page", null), 404);
    assertId(http.delete("/v1/stats", key), 405);
    assertId(http.post("/v1/events", key, "{\"id\":\"e1\",\"action\":\"contact.deleted\"}"), 409);
    assertId(http.post("/v1/events", key, "{\"action\":\"x.y\",\"summary\":\"" + "a".repeat(5000) + "\"}"), 413);
    assertId(http.post("/v1/events", key, "text/plain", "hello".getBytes(StandardCharsets.UTF_8)), 415);
  }

  @Test
  void answersGivenBeforeTheBodyIsReadHaveOneToo() throws Exception {
    int port = server.server().port();
    // no credential: 401 before a byte of the declared megabyte is read
    try (RawHttp r = RawHttp.start(port, "POST", "/v1/events", null, "application/json", 1_000_000)) {
      assertRawId(r.response(20), 401);
    }
    // over a control route's limit: 413 from the body gate, also before reading
    try (RawHttp r = RawHttp.start(port, "POST", "/v1/views", key, "application/json", 1_000_000)) {
      assertRawId(r.response(20), 413);
    }
  }

  @Test
  void theLiveStreamHasOne() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server().port() + "/v1/events/stream"))
        .header("Authorization", "Bearer " + key).header("X-Request-Id", "stream-1").timeout(Duration.ofSeconds(30)).build();
    HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = stream.body()) {
      assertThat(stream.statusCode()).isEqualTo(200);
      assertThat(stream.headers().allValues("X-Request-Id")).containsExactly("stream-1");
    }
  }

  @Test
  void aWellFormedIdIsEchoedAndAnythingElseReplaced() {
    for (String good : new String[] {"a", "0f8c2d1e-9b7a-4c3d-8e2f-1a2b3c4d5e6f", "req_42.retry:3", "x".repeat(RequestIds.MAX_LENGTH)}) {
      RawHttp.Response r = withId("/v1/events/nope", good);
      assertThat(r.header("X-Request-Id")).isEqualTo(good);
      assertThat(r.json().at("/error/request_id").asString()).isEqualTo(good);
    }
    for (String bad : new String[] {"", "x".repeat(RequestIds.MAX_LENGTH + 1), "a".repeat(4096), "quote\"d", "back\\slash", "two words",
        "<script>", "{\"level\":\"ERROR\"}", "tab\there", "semi;colon"}) {
      RawHttp.Response r = withId("/v1/events/nope", bad);
      assertThat(r.status()).isEqualTo(404);
      String id = r.header("X-Request-Id");
      assertThat(id).as(bad).matches(GENERATED);
      assertThat(r.json().at("/error/request_id").asString()).isEqualTo(id);
    }
  }

  @Test
  void theOpenApiDocumentSaysEveryAnswerHasOne() {
    tools.jackson.databind.JsonNode doc = http.get("/openapi.json", null).expect(200).json();
    assertThat(doc.at("/components/responses/Error/headers/X-Request-Id/$ref").asString()).isEqualTo("#/components/headers/RequestId");
    assertThat(doc.at("/components/schemas/Error/properties/error/properties/request_id").isObject()).isTrue();
    doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> op.getValue().get("responses").properties().forEach(r -> {
      tools.jackson.databind.JsonNode response = r.getValue();
      String where = op.getKey() + " " + path.getKey() + " " + r.getKey();
      if (response.has("$ref")) {
        assertThat(response.get("$ref").asString()).as(where).isEqualTo("#/components/responses/Error");
      } else {
        assertThat(response.at("/headers/X-Request-Id/$ref").asString()).as(where).isEqualTo("#/components/headers/RequestId");
      }
    })));
  }

  private RawHttp.Response withId(String path, String id) {
    // over a plain socket: the header is sent exactly as given
    try (RawHttp r = RawHttp.start(server.server().port(), "GET", path, key, null, 0, Map.of("X-Request-Id", id))) {
      return r.response(20);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void assertId(HttpClientForTests.Response r, int status) {
    String what = r.raw().request().method() + " " + r.raw().uri().getPath() + " → " + r.status();
    assertThat(r.status()).as(what + ": " + r.body()).isEqualTo(status);
    assertThat(r.raw().headers().allValues("X-Request-Id")).as(what).hasSize(1);
    String id = r.header("X-Request-Id");
    assertThat(id).as(what).matches(GENERATED);
    assertThat(seen.add(id)).as(what + ": a new id for every request").isTrue();
    if (status >= 400 && r.header("Content-Type") != null && r.header("Content-Type").startsWith("application/json")) {
      assertThat(r.json().at("/error/request_id").asString()).as(what).isEqualTo(id);
    }
  }

  private void assertRawId(RawHttp.Response r, int status) {
    assertThat(r.status()).isEqualTo(status);
    String id = r.header("X-Request-Id");
    assertThat(id).matches(GENERATED);
    assertThat(r.json().at("/error/request_id").asString()).isEqualTo(id);
  }
}
