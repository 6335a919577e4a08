package org.trailbook.metrics;

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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;

/**
 * {@code GET /metrics} of a real server after real traffic (ingest, a bad request, reads, a search, a live stream, a
 * refused second stream, an export job): Prometheus's own checker accepts the exposition, every counter moved by
 * what happened, and no label holds a workspace, an id or a raw path.
 */
class MetricsTest {
  /** Names that must never appear in the open exposition: a workspace, event ids, a raw path a client chose. */
  private static final String WORKSPACE = "tenant-zebra-42";
  private static final String UNKNOWN_PATH = "/v1/no-such-place-q7x";

  @TempDir Path dir;

  @Test
  void promtoolAcceptsTheExpositionAndTheCountersFollowTheTraffic() throws Exception {
    // one stream per key, so a second one is a 429 too_many_streams
    ServerConfig config = ServerConfig.fromEnvironment(Map.of("TRAILBOOK_STREAM_MAX_PER_KEY", "1")).withDataDir(dir.resolve("data"));
    try (TestServer server = TestServer.start(config)) {
      Exposition empty = scrape(server);
      assertThat(empty.required("trailbook_checkpoint_age_seconds")).as("no checkpoint yet").isNaN();
      assertThat(empty.required("trailbook_journal_pending_events")).isZero();
      assertThat(empty.required("trailbook_journal_compaction_pending_segments")).isZero();

      String key = server.workspaceWithKey(WORKSPACE, "ingest", "read", "export");
      Exposition before = scrape(server);

      // 3 batches, 25 events
      long bodyBytes = 0;
      int[] sizes = {10, 10, 5};
      int n = 0;
      for (int size : sizes) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < size; i++, n++) {
          b.append(i > 0 ? "," : "").append("{\"id\":\"evt-metrics-").append(n).append("\",\"action\":\"thing.done\",\"actor\":{\"type\":\"user\",\"id\":\"u1\"}}");
        }
        String body = b.append("]").toString();
        bodyBytes += body.getBytes(StandardCharsets.UTF_8).length;
        server.http.post("/v1/events", key, body).expect(201);
      }
      server.http.post("/v1/events", key, "{not json").expect(400);
      server.http.get("/v1/events/evt-metrics-7", key).expect(200);
      server.http.get("/v1/events/evt-metrics-999", key).expect(404);
      server.http.get(UNKNOWN_PATH, key).expect(404);
      server.http.get("/v1/events?q=action:thing.done&limit=5", key).expect(200);
      server.server().integrity().signDue(); // a checkpoint of everything so far, timed, before it returns

      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<InputStream> stream = client.send(streamRequest(server, key), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream open = stream.body()) {
        assertThat(stream.statusCode()).isEqualTo(200);
        HttpResponse<String> second = client.send(streamRequest(server, key), HttpResponse.BodyHandlers.ofString());
        assertThat(second.statusCode()).as(second.body()).isEqualTo(429);

        String job = server.http.post("/v1/exports", key, "{\"format\":\"ndjson\"}").expect(202).json().get("id").asString();
        assertThat(job).startsWith("exp_");
        await("the export job is done", () -> server.server().exports().jobsDoneTotal() == 1);

        Exposition after = scrape(server);
        Exposition.Result checked = Exposition.promtool(after.text);
        assertThat(checked.exitCode()).as("promtool check metrics said:\n%s", checked.output()).isZero();
        assertThat(checked.output()).as("promtool lint problems").isBlank();

        // ingest: exactly what the three 201s carried (the workspace's own audit entries do not come through the route)
        assertThat(delta(before, after, "trailbook_ingest_requests_total")).isEqualTo(3);
        assertThat(delta(before, after, "trailbook_ingest_events_total")).isEqualTo(25);
        assertThat(delta(before, after, "trailbook_ingest_bytes_total")).isEqualTo(bodyBytes);
        assertThat(delta(before, after, "trailbook_ingest_ack_duration_seconds_count")).isEqualTo(3);
        assertThat(after.required("trailbook_ingest_ack_duration_seconds_bucket", "le", "+Inf")).isEqualTo(3);
        // journal: the writer tells its observer about a group before it takes the next one, and the export's audit
        // entry was written after the 25 events, so their groups are counted by now
        assertThat(delta(before, after, "trailbook_journal_group_commit_events_count")).isBetween(1.0, 25.0 + 1);
        assertThat(delta(before, after, "trailbook_journal_group_commit_events_sum")).isGreaterThanOrEqualTo(25);
        assertThat(delta(before, after, "trailbook_journal_fsync_duration_seconds_count"))
            .isEqualTo(delta(before, after, "trailbook_journal_group_commit_events_count"));
        assertThat(delta(before, after, "trailbook_journal_written_bytes_total")).isGreaterThan(bodyBytes);
        // HTTP: by route template and status; the bad request is a 400 on POST /v1/events
        assertThat(after.required("trailbook_http_responses_total", "method", "POST", "route", "/v1/events", "status", "201")).isEqualTo(3);
        assertThat(after.required("trailbook_http_responses_total", "method", "POST", "route", "/v1/events", "status", "400")).isEqualTo(1);
        assertThat(after.required("trailbook_http_responses_total", "method", "GET", "route", "/v1/events/{id}", "status", "200")).isEqualTo(1);
        assertThat(after.required("trailbook_http_responses_total", "method", "GET", "route", "/v1/events/{id}", "status", "404")).isEqualTo(1);
        assertThat(after.required("trailbook_http_responses_total", "method", "GET", "route", "unmatched", "status", "404")).isEqualTo(1);
        assertThat(after.required("trailbook_http_responses_total", "method", "GET", "route", "/v1/events/stream", "status", "429")).isEqualTo(1);
        assertThat(after.required("trailbook_http_request_duration_seconds_count", "method", "POST", "route", "/v1/events")).isEqualTo(4);
        assertThat(after.required("trailbook_http_rate_limited_total", "reason", "too_many_streams")).isEqualTo(1);
        // the other parts
        assertThat(after.required("trailbook_streams_open")).isEqualTo(1);
        assertThat(after.required("trailbook_streams_refused_total")).isEqualTo(1);
        assertThat(after.required("trailbook_export_jobs_done_total")).isEqualTo(1);
        assertThat(after.required("trailbook_export_jobs_queued")).isZero();
        assertThat(after.required("trailbook_checkpoint_sign_duration_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(after.required("trailbook_checkpoints_signed_total")).isGreaterThanOrEqualTo(1);
        assertThat(after.required("trailbook_checkpoint_age_seconds")).isBetween(0.0, 600.0);
        assertThat(after.required("trailbook_search_index_lag_entries")).isGreaterThanOrEqualTo(0);
        assertThat(after.required("trailbook_search_merges_running")).isGreaterThanOrEqualTo(0);
        assertThat(after.required("trailbook_search_purge_merge_pending")).as("no purge").isZero();
        for (String part : new String[] {"journal_writer", "tree_appender", "search_indexer", "checkpoint_signer"}) {
          assertThat(after.required("trailbook_part_failures_total", "part", part)).isZero();
          assertThat(after.required("trailbook_part_up", "part", part)).isEqualTo(1);
        }
        // JVM and process
        for (String name : new String[] {"jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
            "process_uptime_seconds", "process_cpu_usage", "process_files_open_files", "jvm_gc_memory_allocated_bytes_total"}) {
          assertThat(after.find(name)).as(name).isNotEmpty();
        }

        // bounded labels, no tenant data anywhere
        assertThat(after.text).doesNotContain(WORKSPACE).doesNotContain("evt-metrics-").doesNotContain(UNKNOWN_PATH).doesNotContain(job)
            .doesNotContain(key);
        for (Exposition.Sample s : after.samples) {
          String route = s.labels().get("route");
          if (route != null) assertThat(server.server().http().routes().stream().anyMatch(r -> r.path().equals(route)) || route.equals("unmatched"))
              .as("route label %s is a served template", route).isTrue();
        }
      }
    }
  }

  @Test
  void metricsAreOpenAndServedAsPrometheusText() {
    try (TestServer server = TestServer.start(dir)) {
      var r = server.http.get("/metrics", null).expect(200);
      assertThat(r.header("Content-Type")).startsWith("text/plain").contains("version=0.0.4");
      assertThat(r.header("Cache-Control")).isEqualTo("no-store");
      assertThat(r.body()).contains("# TYPE trailbook_ingest_events_total counter");
    }
  }

  @Test
  void theCheckpointAgeIsKnownAfterARestartThatSignsNothing() {
    try (TestServer server = TestServer.start(dir)) {
      server.workspaceWithKey(WORKSPACE, "read");
      server.server().integrity().signDue();
      assertThat(scrape(server).required("trailbook_checkpoint_age_seconds")).isBetween(0.0, 600.0);
    }
    // nothing grows after the restart, so nothing is signed: the age comes from the stored checkpoints
    try (TestServer again = TestServer.start(dir)) {
      Exposition e = scrape(again);
      assertThat(e.required("trailbook_checkpoints_signed_total")).isZero();
      assertThat(e.required("trailbook_checkpoint_age_seconds")).isBetween(0.0, 600.0);
    }
  }

  @Test
  void aFailedPartShowsInItsOwnSeriesOnly() {
    try (TestServer server = TestServer.start(dir)) {
      server.server().integrity().signerHealth().fail(new IllegalStateException("a failure for the test"));
      Exposition e = scrape(server);
      assertThat(e.required("trailbook_part_failures_total", "part", "checkpoint_signer")).isEqualTo(1);
      assertThat(e.required("trailbook_part_up", "part", "checkpoint_signer")).isZero();
      assertThat(e.required("trailbook_part_up", "part", "journal_writer")).isEqualTo(1);
      assertThat(e.required("trailbook_part_failures_total", "part", "search_indexer")).isZero();
    }
  }

  private static HttpRequest streamRequest(TestServer server, String key) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server().port() + "/v1/events/stream"))
        .header("Authorization", "Bearer " + key).header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30)).build();
  }

  private static Exposition scrape(TestServer server) {
    return new Exposition(server.http.get("/metrics", null).expect(200).body());
  }

  private static double delta(Exposition before, Exposition after, String name) {
    return after.required(name) - before.value(name);
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what + " within 60 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
