package org.trailbook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.http.HttpClientForTests;
import org.trailbook.http.RawHttp;
import tools.jackson.databind.JsonNode;

/**
 * The server's own logs, from a real server in a child JVM started with {@code TRAILBOOK_LOG_FORMAT=json}: every stderr
 * line is one JSON object with the fields a log collector needs, a line written while a request was handled carries the
 * request id its answer had in {@code X-Request-Id}, a caller's well-formed id is used and a hostile one never reaches
 * the log. An unknown format stops the start with a message naming the variable.
 */
class StructuredLogTest {
  private static final String ADMIN = "tba_structured_log_test_admin_key";
  private static final String TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
  @TempDir Path dir;

  @Test
  void inJsonEveryLineIsOneObjectAndARequestsLinesCarryItsId() throws Exception {
    // a silent body is cut at 1 s (408), which BodyGate logs in one INFO line while the request is handled
    Map<String, String> env = Map.of("TRAILBOOK_LOG_FORMAT", "json", "TRAILBOOK_IDLE_TIMEOUT_MS", "1000", "TRAILBOOK_STREAM_HEARTBEAT_MS", "500");
    List<String> stderr;
    try (ServerProcess server = ServerProcess.startWithSeparateErrors(dir.resolve("data"), ADMIN, env)) {
      int port = URI.create(server.url()).getPort();
      HttpClientForTests http = server.http();
      http.post("/v1/workspaces", ADMIN, "{\"id\":\"acme\"}").expect(201);
      String key = http.post("/v1/workspaces/acme/keys", ADMIN, "{\"name\":\"k\",\"scopes\":[\"ingest\"]}").expect(201).json().get("key").asString();

      // 1. the server's own id: the 408's header, its error body and the log line all say the same
      RawHttp.Response timedOut;
      try (RawHttp r = RawHttp.start(port, "POST", "/v1/events", key, "application/json", 100_000)) {
        r.send("[{\"action\":".getBytes(StandardCharsets.US_ASCII));
        timedOut = r.response(30);
      }
      assertThat(timedOut.status()).isEqualTo(408);
      String id = timedOut.header("X-Request-Id");
      assertThat(id).matches("[0-9a-f]{16}");
      assertThat(timedOut.json().at("/error/request_id").asString()).isEqualTo(id);
      JsonNode line = json(server.awaitError(l -> l.contains(id), 30));
      assertThat(line.get("logger").asString()).isEqualTo("org.trailbook.http.BodyGate");
      assertThat(line.get("level").asString()).isEqualTo("INFO");
      assertThat(line.get("request_id").asString()).isEqualTo(id);
      assertThat(line.get("message").asString()).contains("POST /v1/events").contains("request_timeout");

      // 2. a caller's well-formed id is taken: a client that hangs up mid-body is logged under it
      String mine = "client-7f3a.retry:2";
      try (RawHttp r = RawHttp.start(port, "POST", "/v1/events", key, "application/json", 100_000, Map.of("X-Request-Id", mine))) {
        r.send(new byte[50_000]);
        r.abort();
      }
      JsonNode hangUp = json(server.awaitError(l -> l.contains("\"request_id\":\"" + mine + "\""), 30));
      assertThat(hangUp.get("message").asString()).contains("body_incomplete");

      // 3. hostile ids (quotes and braces that would close the JSON, 4 KB, a space) are replaced, never logged
      String quotes = "x\",\"level\":\"ERROR\",\"message\":\"forged";
      for (String hostile : List.of(quotes, "a".repeat(4096), "two words")) {
        try (RawHttp r = RawHttp.start(port, "POST", "/v1/events", key, "application/json", 100_000, Map.of("X-Request-Id", hostile))) {
          r.send("[".getBytes(StandardCharsets.US_ASCII));
          RawHttp.Response res = r.response(30);
          assertThat(res.status()).isEqualTo(408);
          String replaced = res.header("X-Request-Id");
          assertThat(replaced).matches("[0-9a-f]{16}");
          assertThat(json(server.awaitError(l -> l.contains(replaced), 30)).get("request_id").asString()).isEqualTo(replaced);
        }
      }
      // 4. a line break in the header cannot reach the server's code at all: Jetty refuses the request
      try (RawHttp r = RawHttp.start(port, "GET", "/healthz", null, null, 0,
          Map.of("X-Request-Id", "ok\n{\"level\":\"ERROR\",\"message\":\"forged\"}"))) {
        assertThat(r.response(30).status()).isEqualTo(400);
      }
      http.get("/healthz", null).expect(200); // the server is fine, and everything before this was logged
      stderr = server.errors();
    }
    assertThat(stderr).noneMatch(l -> l.contains("forged") || l.contains("aaaaaaaa") || l.contains("two words"));
    // every line is one JSON object with the fields; only the JVM's own warnings, before main() runs, are not ours
    List<String> ours = new ArrayList<>(stderr);
    while (!ours.isEmpty() && ours.getFirst().startsWith("WARNING: ")) ours.removeFirst();
    assertThat(ours).hasSizeGreaterThanOrEqualTo(6); // start-up lines, 408s, the hang-up
    for (String l : ours) {
      JsonNode o = json(l);
      assertThat(o.get("time").asString()).as(l).matches(TIME);
      assertThat(o.get("level").asString()).as(l).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
      assertThat(o.get("logger").isString()).as(l).isTrue();
      assertThat(o.get("thread").isString()).as(l).isTrue();
      assertThat(o.get("message").isString()).as(l).isTrue();
    }
    // Lucene logs through java.util.logging: bridged, so it is JSON too rather than the JDK's two-line text
    assertThat(ours).anyMatch(l -> json(l).get("logger").asString().startsWith("org.apache.lucene"));
  }

  @Test
  void anUnknownLogFormatStopsTheStartAndSaysWhatIsAllowed() {
    Path data = dir.resolve("data");
    assertThatThrownBy(() -> ServerProcess.startWithSeparateErrors(data, ADMIN, Map.of("TRAILBOOK_LOG_FORMAT", "yaml")))
        .hasMessageContaining("trailbook: TRAILBOOK_LOG_FORMAT must be 'text' or 'json', not 'yaml'");
    assertThat(data).doesNotExist();
  }

  private static JsonNode json(String line) {
    JsonNode o = Json.MAPPER.readTree(line);
    assertThat(o.isObject()).as(line).isTrue();
    return o;
  }
}
