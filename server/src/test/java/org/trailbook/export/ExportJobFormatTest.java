package org.trailbook.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.UnsupportedFormatException;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An export job's state file {@code <id>.job.json} carries "format":"trailbook.export-job","version":1.
 * A version 0 file (no header) is read, rewritten with the header and its job runs; a newer one
 * stops the start instead of being dropped as unreadable.
 */
class ExportJobFormatTest {
  @TempDir Path dir;

  private ServerConfig config(int workers) {
    return ServerConfig.fromEnvironment(Map.of()).withDataDir(dir.resolve("data")).withExports(ExportConfig.DEFAULTS.withWorkers(workers));
  }

  /** A job accepted by a server with no workers, so it stays queued on disk; returns its state file. */
  private Path queuedJob(String[] keyOut) {
    try (TestServer first = TestServer.start(config(0))) {
      String key = first.workspaceWithKey("acme", "ingest", "read", "export");
      first.http.post("/v1/events", key, "[{\"id\":\"e1\",\"action\":\"thing.done\"},{\"id\":\"e2\",\"action\":\"thing.done\"}]").expect(201);
      String id = first.http.post("/v1/exports", key, "{\"format\":\"ndjson\",\"include_proof\":false}").expect(202).json().get("id").asString();
      keyOut[0] = key;
      keyOut[1] = id;
      return dir.resolve("data").resolve("exports").resolve(id + ".job.json");
    }
  }

  @Test
  void aVersion0JobStateIsUpgradedAndItsJobRuns() throws Exception {
    String[] key = new String[2];
    Path state = queuedJob(key);
    ObjectNode v1 = (ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(state));
    assertThat(v1.get("format").asString()).isEqualTo("trailbook.export-job");
    ObjectNode v0 = v1.deepCopy();
    v0.remove("format");
    v0.remove("version");
    Files.write(state, Json.MAPPER.writeValueAsBytes(v0)); // what the code before headers wrote

    try (TestServer second = TestServer.start(config(1))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      JsonNode job;
      do {
        job = second.http.get("/v1/exports/" + key[1], key[0]).expect(200).json();
        assertThat(System.nanoTime()).as("job done within 60 s").isLessThan(deadline);
        Thread.onSpinWait();
      } while (!job.get("status").asString().equals("done"));
      assertThat(job.get("count").asLong()).isGreaterThanOrEqualTo(2);
    }
    JsonNode after = Json.MAPPER.readTree(Files.readAllBytes(state));
    assertThat(after.get("format").asString()).isEqualTo("trailbook.export-job");
    assertThat(after.get("version").asInt()).isEqualTo(1);
    assertThat(after.get("id").asString()).isEqualTo(key[1]);
  }

  @Test
  void aNewerJobStateStopsTheStartNamingIt() throws Exception {
    String[] key = new String[2];
    Path state = queuedJob(key);
    ObjectNode newer = ((ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(state))).put("version", 2);
    Files.write(state, Json.MAPPER.writeValueAsBytes(newer));
    assertThatThrownBy(() -> TestServer.start(config(1))).isInstanceOf(UnsupportedFormatException.class)
        .hasMessage(state + " is trailbook.export-job format version 2, written by a newer Trailbook: upgrade Trailbook to read it"
            + " (this build reads versions 0 to 1)");
  }
}
