package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;

/**
 * Slow uploads over real sockets, against a server with short settings: a body must keep up 1 KiB/s
 * after a 500 ms grace, and a connection may stay silent for at most 1 s. A trickling or silent
 * client gets a 408 in our error shape, and its share of the body budget (here one whole share:
 * it declared the largest body) is free again for its workspace.
 */
class SlowBodyTest {
  private static final int MIB = 1 << 20;
  @TempDir static Path dir;
  static TestServer server;
  static int port;

  @BeforeAll
  static void start() {
    server = TestServer.start(ServerConfig.fromEnvironment(Map.of("TRAILBOOK_MAX_BODY_BYTES", Integer.toString(MIB),
        "TRAILBOOK_MAX_INFLIGHT_BYTES", Integer.toString(4 * MIB), "TRAILBOOK_MIN_BODY_RATE", "1024",
        "TRAILBOOK_MIN_BODY_RATE_GRACE_MS", "500", "TRAILBOOK_IDLE_TIMEOUT_MS", "1000",
        "TRAILBOOK_STREAM_HEARTBEAT_MS", "500")).withDataDir(dir));
    port = server.server().port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aTricklingUploadGets408AndItsShareIsFreed() throws Exception {
    String key = server.workspaceWithKey("trickle", "ingest");
    try (RawHttp r = RawHttp.start(port, "POST", "/v1/events", key, "application/json", MIB)) {
      // the slow client: 16 bytes every 50 ms (320 B/s), never silent for long; at most 30 s of it
      long end = System.nanoTime() + 30_000_000_000L;
      while (!r.answered() && System.nanoTime() < end && r.send("[[[[[[[[[[[[[[[[".getBytes(StandardCharsets.US_ASCII))) {
        LockSupport.parkNanos(50_000_000L);
      }
      RawHttp.Response res = r.response(10);
      assertThat(res.status()).isEqualTo(408);
      assertThat(res.json().at("/error/code").asString()).isEqualTo("request_timeout");
      assertThat(res.json().at("/error/message").asString()).contains("1024 bytes per second");
    }
    assertShareIsFree(key);
  }

  @Test
  void aSilentUploadGets408AtTheIdleTimeoutAndItsShareIsFreed() throws Exception {
    String key = server.workspaceWithKey("silent", "ingest");
    try (RawHttp r = RawHttp.start(port, "POST", "/v1/events", key, "application/json", MIB)) {
      r.send("[{\"action\":".getBytes(StandardCharsets.US_ASCII));
      RawHttp.Response res = r.response(20);
      assertThat(res.status()).isEqualTo(408);
      assertThat(res.json().at("/error/code").asString()).isEqualTo("request_timeout");
      assertThat(res.json().at("/error/message").asString()).contains("1000 ms");
    }
    assertShareIsFree(key);
  }

  @Test
  void aChunkedUploadThatSendsOnlyFramingIsCutAndItsShareIsFreed() throws Exception {
    String key = server.workspaceWithKey("framing", "ingest");
    long t0 = System.nanoTime();
    try (RawHttp r = RawHttp.start(port, "POST", "/v1/events", key, "application/json", -1)) {
      // a chunk-size line of endless leading zeros: the connection is never silent, yet no body byte ever arrives
      long end = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < end && r.send("0".getBytes(StandardCharsets.US_ASCII))) {
        LockSupport.parkNanos(100_000_000L); // the slow client's own pace
      }
    }
    long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
    assertThat(seconds).as("cut within seconds, not at the end of the client's 30 s").isLessThan(15);
    assertShareIsFree(key);
  }

  @Test
  void anUnauthenticatedUploadIsNotInvitedToSendItsBody() throws Exception {
    try (RawHttp r = RawHttp.start(port, "POST", "/v1/events", null, "application/json", MIB, Map.of("Expect", "100-continue"))) {
      // the first answer is the refusal itself, not "100 Continue"
      assertThat(r.response(10).status()).isEqualTo(401);
    }
  }

  /** A body just under the limit fits only if the workspace's share (one largest body) is free again. */
  private static void assertShareIsFree(String key) {
    byte[] body = RawHttp.batchOfAbout(900 * 1024);
    server.http.post("/v1/events", key, "application/json", body).expect(201);
  }
}
