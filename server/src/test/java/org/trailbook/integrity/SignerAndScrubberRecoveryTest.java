package org.trailbook.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.server.SupervisedLoops.awaitTrue;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.health.PartHealth;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.SupervisedLoops;
import org.trailbook.server.TestServer;

/**
 * The checkpoint signer and the scrubber under their supervisors: while a fault lasts the part is
 * backing off (counted, one ERROR line, the node not ready, writes still working); once it is gone
 * the part runs again and does its work: the checkpoint that was due is signed, the logs are scrubbed.
 */
class SignerAndScrubberRecoveryTest {
  @TempDir Path dir;

  @Test
  void aFailingSignerIsRetriedAndSignsTheCheckpointThatWasDueOnceItRecovers() {
    try (SupervisedLoops loops = new SupervisedLoops(); TestServer server = TestServer.start(dir)) {
      String key = server.workspaceWithKey("acme", "ingest", "read");
      LogIntegrity integrity = server.server().integrity();
      server.http.post("/v1/events", key, "{\"id\":\"e0\",\"action\":\"thing.done\"}").expect(201);
      long size = integrity.treeSize("acme"); // e0 and the workspace's own audit events
      awaitTrue(() -> integrity.checkpointAt("acme", size).isPresent());
      AtomicBoolean broken = new AtomicBoolean(true);
      integrity.signer.fault = () -> {
        if (broken.get()) throw new IOException("injected: the checkpoint disk failed");
      };

      server.http.post("/v1/events", key, "{\"id\":\"e1\",\"action\":\"thing.done\"}").expect(201); // writes go on
      PartHealth signer = integrity.signerHealth();
      awaitTrue(() -> signer.failures() >= 3);
      SupervisedLoops.assertBackingOff(server.http, "checkpoint_signer", 3);
      assertThat(integrity.treeSize("acme")).isEqualTo(size + 1);
      assertThat(integrity.checkpointAt("acme", size + 1)).as("nothing signed while it fails").isEmpty();

      broken.set(false);
      awaitTrue(() -> integrity.checkpointAt("acme", size + 1).isPresent()); // the work that was due gets done
      SupervisedLoops.awaitReady(server.http);
      assertThat(signer.state()).isEqualTo(PartHealth.State.RUNNING);
      loops.assertOneError("checkpoint_signer", IOException.class);
      loops.assertRecoveredOnce("checkpoint_signer", signer.failures());
    }
  }

  @Test
  void anErrorInTheScrubberDoesNotStopItAndTheNextRunScrubs() {
    ServerConfig config = ServerConfig.fromEnvironment(Map.of()).withDataDir(dir)
        .withIntegrity(IntegrityConfig.DEFAULTS.withScrubInterval(Duration.ofMillis(50)));
    try (SupervisedLoops loops = new SupervisedLoops(); TestServer server = TestServer.start(config)) {
      String key = server.workspaceWithKey("acme", "ingest", "read");
      server.http.post("/v1/events", key, "{\"id\":\"e0\",\"action\":\"thing.done\"}").expect(201);
      LogIntegrity integrity = server.server().integrity();
      PartHealth scrubber = integrity.scrubberHealth();
      awaitTrue(() -> scrubs(loops) > 0);
      AtomicBoolean broken = new AtomicBoolean(true);
      // an Error: before, it escaped the scrubber's catch (RuntimeException only) and its schedule ended silently
      integrity.scrubber.fault = () -> {
        if (broken.get()) throw new StackOverflowError("injected");
      };
      awaitTrue(() -> scrubber.failures() >= 3);
      Thread thread = scrubber.thread();
      assertThat(thread.isAlive()).isTrue();
      SupervisedLoops.assertBackingOff(server.http, "log_scrubber", 3);

      long before = scrubs(loops);
      broken.set(false);
      awaitTrue(() -> scrubs(loops) > before); // it scrubs again, on its schedule
      SupervisedLoops.awaitReady(server.http);
      assertThat(scrubber.state()).isEqualTo(PartHealth.State.RUNNING);
      assertThat(scrubber.thread()).isSameAs(thread);
      assertThat(integrity.refusedWorkspaces()).isZero();
      loops.assertOneError("log_scrubber", StackOverflowError.class);
      loops.assertRecoveredOnce("log_scrubber", scrubber.failures());
    }
  }

  /** How many scrubs ran to the end (each logs one INFO line). */
  private static long scrubs(SupervisedLoops loops) {
    return loops.lines(Level.INFO).stream().filter(e -> e.getFormattedMessage().startsWith("scrub: ")).count();
  }
}
