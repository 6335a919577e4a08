package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;

/**
 * Hostile callers against the shared request-body budget, over real sockets: bodies on non-ingest
 * routes are small and checked before they are read, one workspace cannot take the whole budget,
 * nobody's body is read before they are authenticated, and a client that hangs up mid-body is a
 * one-line client error. The server's budget is 4 MiB with 1 MiB bodies, so one workspace's share
 * (25%) is exactly one largest body.
 */
class BodyShareTest {
  private static final int MIB = 1 << 20;
  @TempDir static Path dir;
  static TestServer server;
  static int port;

  @BeforeAll
  static void start() {
    server = TestServer.start(ServerConfig.fromEnvironment(Map.of("TRAILBOOK_MAX_BODY_BYTES", Integer.toString(MIB),
        "TRAILBOOK_MAX_INFLIGHT_BYTES", Integer.toString(4 * MIB), "TRAILBOOK_RATE_LIMIT", "0")).withDataDir(dir));
    port = server.server().port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aControlRouteRefusesADeclaredBodyOverItsLimitWithoutReadingIt() throws Exception {
    String read = server.workspaceWithKey("views-ws", "read");
    // 1 MB declared, nothing sent: only an answer that did not wait for the body can arrive
    try (RawHttp r = RawHttp.start(port, "POST", "/v1/views", read, "application/json", 1_000_000)) {
      RawHttp.Response res = r.response(20);
      assertThat(res.status()).isEqualTo(413);
      assertThat(res.json().at("/error/code").asString()).isEqualTo("body_too_large");
      assertThat(res.json().at("/error/message").asString()).contains("65536 bytes").contains("POST /v1/views");
    }
  }

  @Test
  void aChunkedControlBodyIsCutAtItsLimit() throws Exception {
    String admin = server.workspaceWithKey("keys-ws", "admin");
    byte[] big = ("{\"name\":\"" + "x".repeat(200_000) + "\",\"scopes\":[\"read\"]}").getBytes(StandardCharsets.UTF_8);
    try (RawHttp r = RawHttp.start(port, "POST", "/v1/workspaces/keys-ws/keys", admin, "application/json", -1)) {
      for (int off = 0; off < big.length && r.chunk(java.util.Arrays.copyOfRange(big, off, Math.min(big.length, off + 8192))); off += 8192) {
        // keep sending until the whole body is out or the server has answered
      }
      r.chunk(new byte[0]);
      RawHttp.Response res = r.response(20);
      assertThat(res.status()).isEqualTo(413);
      assertThat(res.json().at("/error/message").asString()).contains("65536 bytes");
    }
  }

  @Test
  void aMalformedChunkedBodyIsAClientError() throws Exception {
    String read = server.workspaceWithKey("chunks-ws", "read");
    try (RawHttp r = RawHttp.start(port, "POST", "/v1/views", read, "application/json", -1)) {
      r.send("zz\r\n{}\r\n".getBytes(StandardCharsets.US_ASCII));
      RawHttp.Response res = r.response(20);
      // Jetty reports a broken chunk as an early end of the body: a client error either way, never a 500
      assertThat(res.status()).isEqualTo(400);
      assertThat(res.json().at("/error/code").asString()).isIn("malformed_body", "body_incomplete");
    }
  }

  @Test
  void anUnauthenticatedBodyIsRefusedBeforeAnyByteIsRead() throws Exception {
    for (String path : List.of("/v1/events", "/v1/views", "/v1/exports", "/v1/viewer-tokens", "/v1/workspaces", "/v1/workspaces/x/keys")) {
      try (RawHttp r = RawHttp.start(port, "POST", path, null, "application/json", MIB)) {
        RawHttp.Response res = r.response(20);
        assertThat(res.status()).as(path).isEqualTo(401);
        assertThat(res.json().at("/error/code").asString()).isEqualTo("unauthorized");
      }
    }
  }

  @Test
  void oneWorkspaceHoldingItsShareCannotStarveAnotherWorkspacesIngest() throws Exception {
    String a = server.workspaceWithKey("share-a", "ingest");
    String b = server.workspaceWithKey("share-b", "ingest");
    List<RawHttp> uploads = new ArrayList<>();
    try {
      // workspace A opens six slow uploads of the largest body; each sends a little and then waits
      CompletableFuture<RawHttp.Response> refusal = new CompletableFuture<>();
      for (int i = 0; i < 6; i++) {
        RawHttp u = RawHttp.start(port, "POST", "/v1/events", a, "application/json", MIB);
        u.send("[".repeat(1024).getBytes(StandardCharsets.US_ASCII));
        uploads.add(u);
        u.responseFuture().thenAccept(res -> {
          if (res.status() == 503) refusal.complete(res);
        });
      }
      // the first refusal: A's share is spent while its admitted uploads still hold it
      RawHttp.Response refused = refusal.get(30, TimeUnit.SECONDS);
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.header("Retry-After")).isEqualTo("1");
      assertThat(refused.json().at("/error/message").asString()).contains("share of workspace 'share-a'");
      // meanwhile workspace B still ingests
      server.http.post("/v1/events", b, "{\"action\":\"invoice.paid\"}").expect(201);
      assertThat(uploads.stream().filter(u -> !u.answered()).count()).as("uploads of A still holding its share").isGreaterThanOrEqualTo(1);
    } finally {
      for (RawHttp u : uploads) u.close();
    }
  }

  @Test
  void aClientThatHangsUpMidBodyIsOneLineAtInfoAndItsShareIsFreed() throws Exception {
    String key = server.workspaceWithKey("abort-ws", "ingest");
    LinkedBlockingQueue<ILoggingEvent> events = new LinkedBlockingQueue<>();
    AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        events.add(e);
      }
    };
    ch.qos.logback.classic.Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    capture.start();
    root.addAppender(capture);
    try {
      RawHttp r = RawHttp.start(port, "POST", "/v1/events", key, "application/json", MIB);
      r.send(new byte[MIB / 2]);
      r.close();
      List<ILoggingEvent> seen = new ArrayList<>();
      ILoggingEvent line = null;
      while (line == null) {
        ILoggingEvent e = events.poll(30, TimeUnit.SECONDS);
        assertThat(e).as("a log line about the cut-short body; seen: %s", seen).isNotNull();
        seen.add(e);
        if (e.getLoggerName().endsWith("BodyGate")) line = e;
      }
      assertThat(line.getLevel()).isEqualTo(Level.INFO);
      assertThat(line.getThrowableProxy()).isNull();
      assertThat(line.getFormattedMessage()).contains("POST /v1/events").contains("body_incomplete").doesNotContain("\n");
      // the line is written when the request is over: nothing louder came before it
      events.drainTo(seen);
      assertThat(seen).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null);
      // and its reservation was given back: the same workspace can send a largest body again
      byte[] body = RawHttp.batchOfAbout(900 * 1024);
      assertThat(body.length).isGreaterThan(MIB * 3 / 4).isLessThan(MIB);
      server.http.post("/v1/events", key, "application/json", body).expect(201);
    } finally {
      root.detachAppender(capture);
      capture.stop();
    }
  }
}
