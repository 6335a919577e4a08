package org.trailbook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.http.HttpClientForTests;
import org.trailbook.http.RawHttp;
import tools.jackson.databind.JsonNode;

/**
 * The headline: the real server in its own JVM with a 256 MB heap and default limits, flooded by
 * workspace A, a read-only key and an all-scopes admin key, with 120 concurrent connections on
 * every route that takes a body (found in the server's own OpenAPI document): half of them declare
 * the largest body (5 MiB), send all of it but the last byte and hold it (about 300 MB if the
 * server read them all), half declare just under the control-body limit and trickle. Meanwhile workspace B's ingest keeps answering 201; afterwards the child's
 * output holds no OutOfMemoryError and no ERROR, and the server still serves both workspaces.
 */
class BodyFloodProcessTest {
  private static final String ADMIN = "tba_flood_admin_key_for_tests_only";
  private static final int WORKERS = 120;
  private static final byte[] BIG = new byte[5 * 1024 * 1024];
  private static final byte[] PIECE = new byte[64 * 1024];

  @TempDir Path dir;

  /** One operation with a request body, from the OpenAPI document. */
  record Route(String method, String path) {}

  @Test
  void floodingEveryBodyRouteFromOneWorkspaceNeitherExhaustsTheHeapNorStarvesAnother() throws Exception {
    java.util.Arrays.fill(BIG, (byte) '[');
    java.util.Arrays.fill(PIECE, (byte) '[');
    try (ServerProcess server = ServerProcess.start(dir.resolve("data"), ADMIN, List.of("-Xmx256m"), Map.of())) {
      HttpClientForTests http = server.http();
      int port = URI.create(server.url()).getPort();
      http.post("/v1/workspaces", ADMIN, "{\"id\":\"a\"}").expect(201);
      http.post("/v1/workspaces", ADMIN, "{\"id\":\"b\"}").expect(201);
      String readA = key(http, "a", "read");
      String adminA = key(http, "a", "admin", "ingest", "read", "export");
      String ingestB = key(http, "b", "ingest");
      List<Route> routes = bodyRoutes(http.get("/openapi.json", null).expect(200).json());
      assertThat(routes).extracting(Route::path).contains("/v1/events", "/v1/views", "/v1/exports", "/v1/viewer-tokens",
          "/v1/workspaces", "/v1/workspaces/a/keys");

      CountDownLatch started = new CountDownLatch(WORKERS);
      CompletableFuture<Void> stop = new CompletableFuture<>();
      Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
      List<Thread> workers = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        int id = w;
        workers.add(Thread.ofVirtual().start(() -> flood(id, port, routes, id % 2 == 0 ? readA : adminA, started, stop, outcomes)));
      }
      try {
        assertThat(started.await(120, TimeUnit.SECONDS)).as("every flood connection got going").isTrue();
        // while the flood goes on, workspace B ingests
        for (int i = 0; i < 20; i++) ingest(server, ingestB, i);
      } finally {
        stop.complete(null); // the attackers hang up (also when an assertion failed)
      }
      for (Thread t : workers) assertThat(t.join(java.time.Duration.ofSeconds(120))).as("flood worker ended").isTrue();

      System.out.println("flood outcomes (status: count): " + outcomes);
      assertThat(server.alive()).isTrue();
      http.get("/healthz", null).expect(200);
      http.post("/v1/events", ingestB, "{\"action\":\"invoice.paid\"}").expect(201);
      http.post("/v1/events", adminA, "{\"action\":\"a.still_works\"}").expect(201);
      http.post("/v1/views", readA, "{\"name\":\"after\",\"query\":\"type:auth\"}").expect(201);
      List<String> output = server.output();
      assertThat(output).noneMatch(l -> l.contains("OutOfMemoryError"));
      assertThat(output).as("no ERROR lines").noneMatch(l -> l.contains(" ERROR "));
      // the flood was refused in the ways the server promises, and never with a 5xx other than 503
      assertThat(outcomes.keySet()).as("outcomes %s", outcomes).allMatch(s -> !s.startsWith("5") || s.equals("503"));
      assertThat(outcomes).as("outcomes").containsKey("413");
    }
  }

  /** One ingest of workspace B; when it fails, the server's own words (OOM, errors) go in the report. */
  private static void ingest(ServerProcess server, String key, int n) {
    try {
      server.http().post("/v1/events", key, "{\"action\":\"invoice.paid\",\"metadata\":{\"n\":" + n + "}}").expect(201);
    } catch (RuntimeException | AssertionError e) {
      List<String> out = server.output();
      throw new AssertionError("workspace B's ingest #" + n + " failed during the flood (" + e.getMessage() + "); the server said: "
          + out.stream().filter(l -> l.contains("OutOfMemoryError") || l.contains(" ERROR ")).limit(5).toList(), e);
    }
  }

  /**
   * One attacker connection after another, up to 40, until the test says stop. A fast one sends all
   * but the last byte of a largest body at once and then holds it (a server that had read it would
   * keep it in memory); a slow one trickles a body just under the control limit. Each outcome is
   * counted; {@code started} counts down once this attacker holds a body or was answered.
   */
  private static void flood(int id, int port, List<Route> routes, String key, CountDownLatch started, CompletableFuture<Void> stop,
      Map<String, AtomicInteger> outcomes) {
    boolean fast = id % 4 < 2;
    boolean going = false;
    for (int round = 0; round < 40 && !stop.isDone(); round++) {
      Route route = routes.get((id + round) % routes.size());
      long declared = fast ? BIG.length : 60 * 1024;
      String outcome;
      try (RawHttp r = RawHttp.start(port, route.method(), route.path(), key, "application/json", declared)) {
        if (fast) {
          for (int off = 0; off < BIG.length - 1 && r.send(java.util.Arrays.copyOfRange(BIG, off, Math.min(off + PIECE.length, BIG.length - 1)));
              off += PIECE.length) {
            // as fast as the server takes it, until all but one byte is out or the server has answered
          }
        } else {
          byte[] slice = java.util.Arrays.copyOf(PIECE, 512);
          for (int sent = 0; sent < declared && !stop.isDone() && r.send(slice); sent += slice.length) {
            if (!going) {
              going = true;
              started.countDown();
            }
            LockSupport.parkNanos(100_000_000L); // 5 KiB/s: slow, but above the minimum rate
          }
        }
        if (!going) {
          going = true;
          started.countDown();
        }
        CompletableFuture.anyOf(r.responseFuture(), stop).get(180, TimeUnit.SECONDS);
        outcome = r.answered() ? Integer.toString(r.response(1).status()) : "held until the end";
      } catch (Exception e) {
        outcome = "io: " + e.getClass().getSimpleName();
      }
      if (!going) {
        going = true; // not even a connection: it still counts as having tried
        started.countDown();
      }
      outcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
    }
  }

  private static List<Route> bodyRoutes(JsonNode openapi) {
    List<Route> out = new ArrayList<>();
    for (var path : openapi.get("paths").properties()) {
      for (var op : path.getValue().properties()) {
        if (op.getValue().isObject() && op.getValue().has("requestBody")) {
          out.add(new Route(op.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey().replace("{ws}", "a")));
        }
      }
    }
    return out;
  }

  private static String key(HttpClientForTests http, String ws, String... scopes) {
    String body = Json.MAPPER.createObjectNode().put("name", "flood").set("scopes", Json.MAPPER.valueToTree(scopes)).toString();
    return http.post("/v1/workspaces/" + ws + "/keys", ADMIN, body).expect(201).json().get("key").asString();
  }
}
