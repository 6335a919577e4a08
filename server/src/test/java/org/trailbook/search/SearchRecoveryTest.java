package org.trailbook.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.http.HttpClientForTests;
import org.trailbook.server.TestServer;
import org.trailbook.workload.GeneratedEvent;
import org.trailbook.workload.WorkloadGenerator;
import org.trailbook.workload.WorkloadSpec;
import tools.jackson.databind.JsonNode;

/** The index is derived data: deleted, damaged or left behind by a crash, it comes back from the journal. */
class SearchRecoveryTest {
  static final Instant NOW = Instant.parse("2026-11-15T12:00:00Z");
  static final String WS = "acme";
  static final List<String> QUERIES = List.of(
      "/v1/events?limit=50",
      "/v1/events?limit=50&order=asc&count=true&facets=category,type,status,actor,resource_type",
      "/v1/events?limit=20&status=failure,warning&q=" + "-type:auth",
      "/v1/events?limit=20&q=http.status_code:%3E%3D500%20OR%20error.message:timeout",
      "/v1/events?limit=1000&range=7d&q=contact",
      "/v1/stats?range=30d",
      "/v1/stats?range=90d&bucket=day&category=contacts");
  @TempDir Path dir;

  private static void ingest(HttpClientForTests http, String key, long seed, int n) {
    WorkloadGenerator gen = new WorkloadGenerator(WorkloadSpec.singleWorkspace(seed, n, WS, NOW.minus(Duration.ofMinutes(5))));
    List<String> batch = new ArrayList<>();
    for (GeneratedEvent e : gen) {
      batch.add(e.event().toString());
      if (batch.size() == 250) {
        http.post("/v1/events", key, "[" + String.join(",", batch) + "]").expect(201);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) http.post("/v1/events", key, "[" + String.join(",", batch) + "]").expect(201);
  }

  private static Map<String, String> answers(TestServer server, String key) {
    SearchIndex index = server.server().search();
    assertThat(index.awaitVisible(WS, index.store().size(WS), Duration.ofSeconds(60))).isTrue();
    Map<String, String> out = new LinkedHashMap<>();
    for (String q : QUERIES) out.put(q, server.http.get(q, key).expect(200).body());
    return out;
  }

  @Test
  void aDeletedIndexIsRebuiltWithIdenticalResults() throws IOException {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    Map<String, String> before;
    String key;
    try (TestServer server = TestServer.start(dir, clock)) {
      key = server.workspaceWithKey(WS, "ingest", "read");
      ingest(server.http, key, 5, 2000);
      before = answers(server, key);
    }
    assertThat(before.get(QUERIES.get(1))).contains("\"total\":2002"); // 2000 events and two audit_log entries
    deleteRecursively(dir.resolve("index"));
    try (TestServer server = TestServer.start(dir, clock)) {
      assertThat(answers(server, key)).isEqualTo(before);
    }
  }

  @Test
  void aDamagedIndexIsRebuiltWithIdenticalResults() throws IOException {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    Map<String, String> before;
    String key;
    try (TestServer server = TestServer.start(dir, clock)) {
      key = server.workspaceWithKey(WS, "ingest", "read");
      ingest(server.http, key, 6, 1500);
      before = answers(server, key);
    }
    try (Stream<Path> files = Files.list(dir.resolve("index"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("segments")).toList()) {
        Files.write(f, "not a lucene commit".getBytes(StandardCharsets.UTF_8));
      }
    }
    try (TestServer server = TestServer.start(dir, clock)) {
      assertThat(answers(server, key)).isEqualTo(before);
    }
  }

  @Test
  void anIndexCommittedEarlierOnlyReplaysTheTail() throws IOException {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    String key;
    try (TestServer server = TestServer.start(dir, clock)) {
      key = server.workspaceWithKey(WS, "ingest", "read");
      ingest(server.http, key, 7, 500);
      answers(server, key);
    }
    Map<String, String> expected;
    try (TestServer server = TestServer.start(dir, clock)) {
      // the index opens at its commit (502 entries) and then takes the new events like any others
      assertThat(server.server().search().visible(WS)).isEqualTo(502);
      ingest(server.http, key, 8, 700);
      expected = answers(server, key);
    }
    deleteRecursively(dir.resolve("index"));
    try (TestServer server = TestServer.start(dir, clock)) {
      assertThat(answers(server, key)).isEqualTo(expected);
    }
  }

  /**
   * A real server process is stopped gracefully (so its index is committed), restarted, killed with SIGKILL in the
   * middle of an ingest (its index then lags its journal), and started again: every acknowledged event is findable.
   */
  @Test
  void everyAcknowledgedEventIsFindableAfterAKill() throws Exception {
    Process first = startProcess();
    String key;
    Set<String> acked = ConcurrentHashMap.newKeySet();
    try {
      HttpClientForTests http = new HttpClientForTests("http://127.0.0.1:" + port(first));
      http.post("/v1/workspaces", TestServer.ADMIN_KEY, "{\"id\":\"" + WS + "\"}").expect(201);
      JsonNode created = http.post("/v1/workspaces/" + WS + "/keys", TestServer.ADMIN_KEY, "{\"name\":\"t\",\"scopes\":[\"ingest\",\"read\"]}").expect(201).json();
      key = created.get("key").asString();
      ingestUntilStopped(http, key, 100, acked, new AtomicBoolean(false), 600);
    } finally {
      first.destroy(); // SIGTERM: a graceful stop commits the index
      assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.exists(dir.resolve("index"))).isTrue();

    Process second = startProcess();
    try {
      HttpClientForTests http = new HttpClientForTests("http://127.0.0.1:" + port(second));
      AtomicBoolean stop = new AtomicBoolean(false);
      int before = acked.size();
      Thread writer = Thread.ofPlatform().start(() -> ingestUntilStopped(http, key, 200, acked, stop, Integer.MAX_VALUE));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (acked.size() < before + 3000 && System.nanoTime() < deadline) Thread.onSpinWait();
      second.destroyForcibly(); // SIGKILL, while the writer keeps sending
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
      stop.set(true);
      writer.join();
      assertThat(acked.size()).isGreaterThanOrEqualTo(before + 3000);
    } finally {
      second.destroyForcibly();
    }

    try (TestServer server = TestServer.start(dir)) {
      SearchIndex index = server.server().search();
      long size = index.store().size(WS);
      assertThat(size).isGreaterThanOrEqualTo(acked.size());
      assertThat(index.awaitVisible(WS, size, Duration.ofSeconds(60))).isTrue();
      Set<String> found = new HashSet<>();
      String cursor = null;
      do {
        JsonNode page = server.http.get("/v1/events?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor), key).expect(200).json();
        page.get("events").forEach(e -> found.add(e.get("id").asString()));
        cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
      } while (cursor != null);
      assertThat(found).hasSize((int) size).containsAll(acked);
      String someId = acked.iterator().next();
      assertThat(server.http.get("/v1/events?q=id:" + someId, key).expect(200).json().get("events")).hasSize(1);
    }
  }

  private static final Pattern LISTENING = Pattern.compile("Trailbook is listening on http://127\\.0\\.0\\.1:(\\d+)");
  private final Map<Process, BlockingQueue<String>> outputs = new ConcurrentHashMap<>();

  private Process startProcess() throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
        "-cp", cp, "org.trailbook.cli.Main", "serve", "--data", dir.toString(), "--port", "0", "--host", "127.0.0.1");
    pb.environment().put("TRAILBOOK_ADMIN_KEY", TestServer.ADMIN_KEY);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    BlockingQueue<String> lines = new ArrayBlockingQueue<>(10_000);
    outputs.put(p, lines);
    Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) lines.offer(line);
      } catch (IOException ignored) {
        // the process is gone
      }
    });
    return p;
  }

  private int port(Process p) throws InterruptedException {
    BlockingQueue<String> lines = outputs.get(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line == null) continue;
      seen.add(line);
      Matcher m = LISTENING.matcher(line);
      if (m.find()) return Integer.parseInt(m.group(1));
    }
    throw new AssertionError("the server did not start: " + String.join("\n", seen));
  }

  /** Posts batches of {@code size} new events until stopped, the server fails, or {@code maxEvents} were sent. */
  private static void ingestUntilStopped(HttpClientForTests http, String key, int size, Set<String> acked, AtomicBoolean stop, int maxEvents) {
    int sent = 0;
    long n = acked.size() * 7L + System.nanoTime() % 1000;
    while (!stop.get() && sent < maxEvents) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < size; i++) ids.add("k-" + (n++) + "-" + i);
      String body = ids.stream().map(id -> "{\"id\":\"" + id + "\",\"action\":\"contact.updated\",\"metadata\":{\"n\":" + id.length() + "}}")
          .collect(Collectors.joining(",", "[", "]"));
      HttpClientForTests.Response r;
      try {
        r = http.post("/v1/events", key, body);
      } catch (RuntimeException e) {
        return; // the server was killed
      }
      if (r.status() != 201) return;
      acked.addAll(ids);
      sent += size;
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    try (Stream<Path> files = Files.walk(p)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
    }
  }

}
