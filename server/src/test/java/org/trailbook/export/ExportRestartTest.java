package org.trailbook.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Export jobs survive a restart: a job still queued when the server stopped, and one that was running (its state says
 * so and a partial file lies beside it), both run from scratch after the restart and deliver complete files.
 */
class ExportRestartTest {
  @TempDir Path dir;

  @Test
  void queuedAndInterruptedJobsCompleteAfterARestart() throws Exception {
    ServerConfig config = ServerConfig.fromEnvironment(Map.of()).withDataDir(dir.resolve("data"));
    String key;
    String queuedId;
    String runningId;
    // workers 0: jobs are accepted and persisted but never started
    try (TestServer first = TestServer.start(config.withExports(ExportConfig.DEFAULTS.withWorkers(0)))) {
      key = first.workspaceWithKey("acme", "ingest", "read", "export");
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < 120; i++) b.append(i > 0 ? "," : "").append("{\"id\":\"e").append(i).append("\",\"action\":\"thing.done\"}");
      first.http.post("/v1/events", key, b.append("]").toString()).expect(201);
      queuedId = first.http.post("/v1/exports", key, "{\"format\":\"ndjson\",\"include_proof\":false}").expect(202).json().get("id").asString();
      runningId = first.http.post("/v1/exports", key, "{\"format\":\"csv\",\"filters\":{\"action\":\"thing.done\"}}").expect(202).json().get("id").asString();
      first.http.post("/v1/events", key, "{\"action\":\"later.event\"}").expect(201); // after the jobs began: not in them
      assertThat(first.http.get("/v1/exports/" + queuedId, key).expect(200).json().get("status").asString()).isEqualTo("queued");
    }
    // as if the server had died while writing the second job
    Path exports = dir.resolve("data").resolve("exports");
    Path state = exports.resolve(runningId + ".job.json");
    ObjectNode s = (ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(state));
    s.put("status", "running").put("started_at", 1L);
    Files.write(state, Json.MAPPER.writeValueAsBytes(s));
    Path partial = exports.resolve(runningId + ".csv.part");
    Files.writeString(partial, "time,type\r\nhalf a ro");

    try (TestServer second = TestServer.start(config.withExports(ExportConfig.DEFAULTS.withWorkers(1)))) {
      JsonNode q = await(second, key, queuedId);
      JsonNode r = await(second, key, runningId);
      String ndjson = second.http.get(q.get("download_url").asString(), key).expect(200).body();
      List<String> lines = List.of(ndjson.split("\n"));
      assertThat(lines).hasSize((int) q.get("count").asLong()).hasSize((int) q.get("log_size").asLong());
      assertThat(ndjson).doesNotContain("later.event");
      for (int i = 0; i < lines.size(); i++) assertThat(Json.MAPPER.readTree(lines.get(i)).get("seq").asLong()).isEqualTo(i);
      byte[] csv = second.http.get(r.get("download_url").asString(), key).expect(200).raw().body();
      List<List<String>> rows = Csv.parse(new String(csv, StandardCharsets.UTF_8));
      assertThat(rows).hasSize(121);
      assertThat(r.get("count").asLong()).isEqualTo(120);
      assertThat(Files.exists(partial)).isFalse();
    }
  }

  private static JsonNode await(TestServer server, String key, String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      JsonNode s = server.http.get("/v1/exports/" + id, key).expect(200).json();
      assertThat(s.get("status").asString()).as("job %s", s).isNotEqualTo("failed");
      if (s.get("status").asString().equals("done")) return s;
      assertThat(System.nanoTime()).as("job done within 60 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
