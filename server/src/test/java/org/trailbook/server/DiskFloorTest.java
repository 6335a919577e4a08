package org.trailbook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code /readyz} says not ready while the data directory's disk is below the free-space floor, and why. */
class DiskFloorTest {
  @TempDir Path dir;

  @Test
  void belowTheFloorTheNodeIsNotReadyAndSaysWhy() throws Exception {
    long free = Files.getFileStore(dir).getUsableSpace();
    // a floor above what this disk has free: the real free space is what is compared
    ServerConfig config = ServerConfig.fromEnvironment(Map.of()).withDataDir(dir.resolve("data")).withMinFreeDiskBytes(free + (64L << 30));
    try (TestServer server = TestServer.start(config)) {
      JsonNode ready = server.http.get("/readyz", null).expect(503).json();
      assertThat(ready.get("status").asString()).isEqualTo("not_ready");
      assertThat(ready.get("reasons")).anySatisfy(r -> {
        assertThat(r.get("part").asString()).isEqualTo("disk");
        assertThat(r.get("reason").asString()).contains("MiB free, below the floor").contains("TRAILBOOK_MIN_FREE_DISK_BYTES");
      });
      // not a liveness matter: writes still work while there is room
      server.http.get("/healthz", null).expect(200);
    }
    try (TestServer server = TestServer.start(config.withMinFreeDiskBytes(Math.max(1, free / 2)))) {
      server.http.get("/readyz", null).expect(200);
    }
  }
}
