package org.trailbook.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.server.SupervisedLoops.awaitTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.health.PartHealth;
import org.trailbook.server.SupervisedLoops;
import org.trailbook.server.TestServer;

/**
 * The live-stream dispatcher under its supervisor: while it fails, the workspaces that grow stay
 * marked (their streams are not woken, the node is not ready, writes work); once it recovers its
 * first turn wakes them, so no growth is lost.
 */
class DispatcherRecoveryTest {
  @TempDir Path dir;

  @Test
  void aFailingDispatcherIsRetriedAndThenWakesTheStreamsOfWhatGrewMeanwhile() {
    try (SupervisedLoops loops = new SupervisedLoops(); TestServer server = TestServer.start(dir)) {
      String key = server.workspaceWithKey("acme", "ingest", "read");
      StreamHub hub = server.server().streams();
      StreamHub.Signal signal = hub.signal("acme"); // what every stream of acme waits on
      server.http.post("/v1/events", key, "{\"id\":\"e0\",\"action\":\"thing.done\"}").expect(201);
      awaitTrue(() -> signal.version() > 0);
      AtomicBoolean broken = new AtomicBoolean(true);
      hub.fault = () -> {
        if (broken.get()) throw new IllegalStateException("injected");
      };
      PartHealth dispatcher = hub.health();
      awaitTrue(() -> dispatcher.failures() >= 1);
      long seen = signal.version();

      server.http.post("/v1/events", key, "{\"id\":\"e1\",\"action\":\"thing.done\"}").expect(201); // writes go on
      awaitTrue(() -> dispatcher.failures() >= 3);
      SupervisedLoops.assertBackingOff(server.http, "stream_dispatcher", 3);
      assertThat(signal.version()).as("no stream is woken while the dispatcher fails").isEqualTo(seen);

      broken.set(false);
      awaitTrue(() -> signal.version() > seen); // the growth marked during the failure is dispatched
      SupervisedLoops.awaitReady(server.http);
      assertThat(dispatcher.state()).isEqualTo(PartHealth.State.RUNNING);
      loops.assertOneError("stream_dispatcher", IllegalStateException.class);
      loops.assertRecoveredOnce("stream_dispatcher", dispatcher.failures());
    }
  }
}
