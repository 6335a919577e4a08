package org.trailbook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a real server process: it stops accepting, lets a request in flight finish (and its
 * acknowledgement holds after a restart), and exits within its shutdown timeout even when a client
 * never finishes its request.
 */
class GracefulStopTest {
  static final String ADMIN = "tba_graceful_stop_admin_key";
  @TempDir Path data;

  @Test
  void aRequestInFlightAtSigtermFinishesAndItsEventIsKept() throws Exception {
    String key;
    String body = "{\"id\":\"in-flight\",\"action\":\"stop.test\",\"metadata\":{\"pad\":\"" + "x".repeat(2000) + "\"}}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (ServerProcess s = ServerProcess.start(data, ADMIN)) {
      s.http().post("/v1/workspaces", ADMIN, "{\"id\":\"acme\"}").expect(201);
      key = s.http().post("/v1/workspaces/acme/keys", ADMIN, "{\"name\":\"t\",\"scopes\":[\"ingest\",\"read\"]}").expect(201).json().get("key").asString();
      int port = URI.create(s.url()).getPort();
      try (Socket client = new Socket("127.0.0.1", port)) {
        client.setSoTimeout(30_000);
        OutputStream out = client.getOutputStream();
        out.write(("POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
            + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        s.terminate(); // SIGTERM, while the body is half sent
        awaitRefused(port); // the server took the signal: it accepts no new connection
        // a slow client: the rest of the body comes 2 s into the drain (Jetty's own default would cut it after 1 s)
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
        out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
        out.flush();
        String answer = readAnswer(client.getInputStream());
        assertThat(answer).startsWith("HTTP/1.1 201").contains("\"id\":\"in-flight\"");
      }
      assertThat(s.waitForExit(Duration.ofSeconds(60))).as("the server exits after draining").isTrue();
      assertThat(s.output()).as(String.join("\n", s.output())).anyMatch(l -> l.contains("stopping: finishing the requests in flight")).anyMatch(l -> l.endsWith("stopped"));
    }
    try (ServerProcess again = ServerProcess.start(data, ADMIN)) {
      again.http().get("/v1/events/in-flight", key).expect(200);
    }
  }

  @Test
  void aRequestThatNeverFinishesDoesNotHoldTheStopPastItsTimeout() throws Exception {
    try (ServerProcess s = ServerProcess.start(data, ADMIN, List.of("-Xmx256m"), Map.of("TRAILBOOK_SHUTDOWN_TIMEOUT_MS", "1000"))) {
      s.http().post("/v1/workspaces", ADMIN, "{\"id\":\"acme\"}").expect(201);
      String key = s.http().post("/v1/workspaces/acme/keys", ADMIN, "{\"name\":\"t\",\"scopes\":[\"ingest\"]}").expect(201).json().get("key").asString();
      int port = URI.create(s.url()).getPort();
      try (Socket stuck = new Socket("127.0.0.1", port)) {
        OutputStream out = stuck.getOutputStream();
        out.write(("POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
            + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"action\":").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long t0 = System.nanoTime();
        s.terminate();
        // the idle timeout (30 s) and the minimum body rate (after 5 s) would end this request much later:
        // only the 1 s drain timeout can end the stop this soon
        assertThat(s.waitForExit(Duration.ofSeconds(20))).as("the server exits within its shutdown timeout").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      }
    }
  }

  private static void awaitRefused(int port) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      } catch (ConnectException refused) {
        return;
      } catch (IOException other) {
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // re-check until the listener closes
    }
    throw new AssertionError("the server kept accepting connections 30 s after SIGTERM");
  }

  private static String readAnswer(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    byte[] buf = new byte[4096];
    int n;
    while ((n = in.read(buf)) > 0) {
      sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      if (sb.indexOf("\r\n\r\n") > 0 && sb.indexOf("]}") > 0) break;
    }
    return sb.toString();
  }
}
