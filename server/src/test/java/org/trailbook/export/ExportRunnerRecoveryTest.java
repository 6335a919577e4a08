package org.trailbook.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.server.SupervisedLoops.awaitTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.health.PartHealth;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.SupervisedLoops;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/**
 * The export runner under its supervisor: an Error in a job (before, it ended the worker thread
 * silently and left the job "running" for ever) marks the job failed, counts against the runner,
 * which backs off (not ready meanwhile) and keeps running: a later job is done.
 */
class ExportRunnerRecoveryTest {
  @TempDir Path dir;

  @Test
  void anErrorInAJobFailsThatJobAndTheRunnerKeepsRunning() {
    ServerConfig config = ServerConfig.fromEnvironment(Map.of()).withDataDir(dir).withExports(ExportConfig.DEFAULTS.withWorkers(1));
    try (SupervisedLoops loops = new SupervisedLoops(); TestServer server = TestServer.start(config)) {
      String key = server.workspaceWithKey("acme", "ingest", "read", "export");
      server.http.post("/v1/events", key, "{\"id\":\"e0\",\"action\":\"thing.done\"}").expect(201);
      Exports exports = server.server().exports();
      PartHealth runner = exports.runnerHealth();
      Thread worker = runner.thread();
      AtomicBoolean broken = new AtomicBoolean(true);
      exports.jobFault = () -> {
        if (broken.get()) throw new OutOfMemoryError("injected");
      };

      List<String> failed = new ArrayList<>();
      for (int i = 0; i < 3; i++) failed.add(create(server, key)); // queued together: the runner fails them one after the other
      boolean[] sawNotReady = {false};
      awaitTrue(() -> {
        // the runner backs off between the failing jobs: /readyz says so while it does
        if (runner.state() == PartHealth.State.BACKING_OFF && SupervisedLoops.showsBackingOff(server.http, "export_runner")) sawNotReady[0] = true;
        return runner.failures() >= 3;
      });
      awaitTrue(() -> sawNotReady[0] || SupervisedLoops.showsBackingOff(server.http, "export_runner"));
      for (String id : failed) {
        JsonNode job = server.http.get("/v1/exports/" + id, key).expect(200).json();
        assertThat(job.get("status").asString()).isEqualTo("failed");
        assertThat(job.get("error").asString()).isEqualTo("injected");
      }
      assertThat(exports.jobsFailedTotal()).isEqualTo(3);

      broken.set(false);
      String later = create(server, key);
      awaitTrue(() -> server.http.get("/v1/exports/" + later, key).expect(200).json().get("status").asString().equals("done"));
      SupervisedLoops.awaitReady(server.http);
      assertThat(runner.state()).isEqualTo(PartHealth.State.RUNNING);
      assertThat(runner.thread()).as("the same worker, never ended").isSameAs(worker);
      assertThat(worker.isAlive()).isTrue();
      loops.assertOneError("export_runner", OutOfMemoryError.class);
      loops.assertRecoveredOnce("export_runner", runner.failures());
    }
  }

  private static String create(TestServer server, String key) {
    return server.http.post("/v1/exports", key, "{\"format\":\"ndjson\"}").expect(202).json().get("id").asString();
  }
}
