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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;

/**
 * Every API answer carries {@code X-Content-Type-Options: nosniff} and {@code Cache-Control: no-store} — successes,
 * every kind of error, unknown routes, {@code /healthz} and {@code /openapi.json} — while the live stream keeps
 * {@code no-cache, no-store} and the page's assets their own caching.
 */
class ResponseHeadersTest {
  @TempDir Path dir;
  TestServer server;
  HttpClientForTests http;
  String key;
  String ingestOnly;

  @BeforeEach
  void start() {
    server = TestServer.start(ServerConfig.fromEnvironment(Map.of("TRAILBOOK_MAX_BODY_BYTES", "4096")).withDataDir(dir));
    http = server.http;
    key = server.workspaceWithKey("acme", "ingest", "read", "export", "admin");
    ingestOnly = server.key("acme", "ingest");
    http.post("/v1/events", key, "{\"id\":\"e1\",\"action\":\"contact.created\"}").expect(201);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void everyApiAnswerIsNotSniffedAndNotStored() {
    String admin = TestServer.ADMIN_KEY;
    assertApiHeaders(http.get("/healthz", null), 200);
    assertApiHeaders(http.get("/openapi.json", null), 200);
    assertApiHeaders(http.get("/v1/events", key), 200);
    assertApiHeaders(http.get("/v1/events/e1", key), 200);
    assertApiHeaders(http.get("/v1/stats?range=24h", key), 200);
    assertApiHeaders(signedCheckpoint(), 200);
    assertApiHeaders(http.get("/v1/log/key", key), 200);
    assertApiHeaders(http.get("/v1/workspaces", admin), 200);
    assertApiHeaders(http.get("/v1/exports/download?format=ndjson", key), 200);
    assertApiHeaders(http.post("/v1/events", key, "{\"action\":\"contact.updated\"}"), 201);
    // errors of every kind, from the handlers, the exception mapping and the router
    assertApiHeaders(http.post("/v1/events", key, "{\"action\":"), 400);
    assertApiHeaders(http.get("/v1/events?status=broken", key), 400);
    assertApiHeaders(http.get("/v1/events", null), 401);
    assertApiHeaders(http.get("/v1/events", "tbk_not_a_key"), 401);
    assertApiHeaders(http.get("/v1/events", ingestOnly), 403);
    assertApiHeaders(http.get("/v1/events/nope", key), 404);
    assertApiHeaders(http.get("/v1/no-such-route", key), 404);
    assertApiHeaders(http.get("/no-such-page", null), 404);
    assertApiHeaders(http.delete("/v1/stats", key), 405);
    assertApiHeaders(http.post("/v1/events", key, "{\"action\":\"x.y\",\"summary\":\"" + "a".repeat(5000) + "\"}"), 413);
    assertApiHeaders(http.post("/v1/events", key, "text/plain", "hello".getBytes(StandardCharsets.UTF_8)), 415);
  }

  @Test
  void theLiveStreamAndThePageAssetsKeepTheirOwnCaching() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server().port() + "/v1/events/stream"))
        .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(30)).build();
    HttpResponse<InputStream> stream = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = stream.body()) {
      assertThat(stream.statusCode()).isEqualTo(200);
      assertThat(stream.headers().firstValue("Cache-Control")).hasValue("no-cache, no-store");
      assertThat(stream.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
    HttpClientForTests.Response asset = http.get("/ui/assets/app.js", null);
    assertThat(asset.status()).isEqualTo(200);
    assertThat(asset.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(asset.header("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  /** The latest checkpoint, once the signer (every 250 ms) has signed one. */
  private HttpClientForTests.Response signedCheckpoint() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      HttpClientForTests.Response r = http.get("/v1/log/checkpoint", key);
      if (r.status() == 200 || System.nanoTime() > deadline) return r;
      assertApiHeaders(r, 404); // not signed yet: an error, with the same headers
      Thread.onSpinWait();
    }
  }

  private static void assertApiHeaders(HttpClientForTests.Response r, int status) {
    String what = r.raw().request().method() + " " + r.raw().uri().getPath() + " → " + r.status();
    assertThat(r.status()).as(what + ": " + r.body()).isEqualTo(status);
    assertThat(r.raw().headers().allValues("X-Content-Type-Options")).as(what).containsExactly("nosniff");
    assertThat(r.raw().headers().allValues("Cache-Control")).as(what).containsExactly("no-store");
  }
}
