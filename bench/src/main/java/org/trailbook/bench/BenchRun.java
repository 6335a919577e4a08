package org.trailbook.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.trailbook.Json;
import org.trailbook.workload.GeneratedEvent;
import org.trailbook.workload.Marker;
import org.trailbook.workload.WorkloadGenerator;
import org.trailbook.workload.WorkloadSpec;
import tools.jackson.databind.JsonNode;

/** One run of the benchmark: both sides loaded with workload W, then every selected measure. */
final class BenchRun {
  /** What to run. */
  record Options(long events, long seed, String pgUrl, Set<String> only, Path serverJar, Path workDir, int runs, int warmup,
      int latencyEvents, List<String> serverJavaOptions) {
    boolean wants(String id) {
      return only.isEmpty() || only.contains(id);
    }
  }

  /** The measures, and for each query id whether every draw got the same answer on both sides. */
  record Result(List<Measure> measures, Map<String, Boolean> sameAnswers, Map<String, String> firstDifference) {}

  static final String ADMIN = "tba_benchmark_admin_key";
  /** workspace created, key created: recorded in each workspace's own log. */
  static final int AUDIT_ENTRIES_PER_WORKSPACE = 2;
  static final int V1_PROBES = 200;
  /** The server's default per-export limit: E1 exports the largest workspace that fits in it. */
  static final long EXPORT_LIMIT = 100_000;
  static final List<String> QUERIES = List.of("Q1", "Q2", "Q3", "Q4", "Q5", "Q6");
  private final Options o;
  private final PrintStream log;
  private final List<Measure> measures = new ArrayList<>();
  private final Map<String, Boolean> same = new LinkedHashMap<>();
  private final Map<String, String> firstDifference = new LinkedHashMap<>();

  BenchRun(Options options, PrintStream log) {
    this.o = options;
    this.log = log;
  }

  Result run() throws Exception {
    Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    WorkloadSpec spec = WorkloadSpec.benchmark(o.seed(), o.events(), end);
    Path data = o.workDir().resolve("trailbook-data");
    Path entries = o.workDir().resolve("entries.ndjson");
    Map<String, String> keys = new LinkedHashMap<>();
    long stored;
    Side tbLoad;
    Side tbRss;
    Side tbDisk;
    Visibility.Result visibility = null;
    String exportWorkspace = null;
    Side tbExport = Side.missing("not run");
    Side pgExport = Side.missing("PostgreSQL unavailable");
    Latencies tbLatency = null;
    Map<String, Latencies> tbQueries = new LinkedHashMap<>();
    Map<String, List<Object>> tbAnswers = new LinkedHashMap<>();
    QueryPlan plan;
    try (TrailbookProcess tb = new TrailbookProcess(o.serverJar(), data, ADMIN, o.serverJavaOptions())) {
      Http http = new Http(tb.url);
      for (String ws : spec.workspaces()) keys.put(ws, createWorkspace(http, ws));
      // creating a workspace and its key are recorded in its log: two entries before the load
      log.printf("I1  loading %,d events into Trailbook over HTTP (8 clients, batches of 500)...%n", o.events());
      long t0 = System.nanoTime();
      Map<String, Long> loaded = TrailbookLoad.load(http, keys, new WorkloadGenerator(spec), 8, 500);
      double ackSeconds = (System.nanoTime() - t0) / 1e9;
      stored = loaded.values().stream().mapToLong(Long::longValue).sum();
      Map<String, Long> sizes = new LinkedHashMap<>();
      for (String ws : keys.keySet()) sizes.put(ws, loaded.getOrDefault(ws, 0L) + AUDIT_ENTRIES_PER_WORKSPACE);
      double indexedSeconds = waitSearchable(http, keys, sizes, t0);
      long entryCount = PostgresLoad.dump(http, keys, sizes, entries);
      tbLoad = Side.value(stored / (indexedSeconds > 0 ? indexedSeconds : ackSeconds));
      log.printf("    %,d events acknowledged in %.1f s (%,.0f/s)%s%n", stored, ackSeconds, stored / ackSeconds,
          indexedSeconds > 0 ? String.format(", searchable after %.1f s", indexedSeconds) : "");
      tbDisk = Side.value((double) directoryBytes(data) / entryCount);
      plan = QueryPlan.learn(end, entries, o.seed());
      if (o.wants("I2")) {
        String key = createWorkspace(http, "ws-latency");
        List<byte[]> singles = latencyEvents(o.seed() + 1, end);
        log.printf("I2  %,d single events at 2,000/s into Trailbook...%n", singles.size());
        try {
          tbLatency = LatencyProbe.run(2000, singles.size(), 32, () -> {
            Connection1 c = new Connection1(tb.url);
            return i -> {
              int status = c.post("/v1/events", key, singles.get(i));
              if (status != 201) throw new IllegalStateException("single event answered " + status);
            };
          });
        } catch (IllegalStateException e) {
          List<String> out = tb.output();
          log.println(String.join("\n", out.subList(Math.max(0, out.size() - 40), out.size())));
          throw e;
        }
      }
      for (String q : QUERIES) {
        if (!o.wants(q)) continue;
        log.printf("%s  %d runs on Trailbook...%n", q, o.runs());
        List<Object> answers = new ArrayList<>();
        List<Queries.Draw> draws = new ArrayList<>();
        tbQueries.put(q, time(q, plan, draw -> {
          draws.add(draw);
          return draw.trailbook(http, keys);
        }, answers));
        // the answers are read after the timing, as a client would read what it needs
        List<Object> read = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) read.add(draws.get(o.warmup() + i).trailbookAnswer((byte[]) answers.get(i)));
        tbAnswers.put(q, read);
      }
      if (o.wants("V1")) {
        log.printf("V1  %d single events: acknowledgement to searchable and to the live stream...%n", V1_PROBES);
        String key = createWorkspace(http, "ws-visibility");
        visibility = Visibility.measure(tb.url, key, V1_PROBES);
      }
      if (o.wants("E1")) {
        exportWorkspace = exportWorkspace(plan);
        log.printf("E1  NDJSON export of %s (%,d entries)...%n", exportWorkspace, plan.sizes.get(exportWorkspace));
        long t = System.nanoTime();
        long bytes = http.get("/v1/exports/download?format=ndjson", keys.get(exportWorkspace)).length;
        tbExport = Side.value(plan.sizes.get(exportWorkspace) / ((System.nanoTime() - t) / 1e9));
        log.printf("    %,d bytes%n", bytes);
      }
      tbRss = Side.value(tb.peakRssBytes() / 1e6);
    }
    Side x1 = verify(data, stored);
    Side x1Peer = sha256Rate(entries);

    Side pgLoad = Side.missing("PostgreSQL unavailable");
    Side pgLatency = pgLoad;
    Side pgBytes = pgLoad;
    Map<String, Side> pgQueries = new LinkedHashMap<>();
    try (PostgresPeer pg = PostgresPeer.start(o.pgUrl(), o.workDir().resolve("pg"))) {
      pg.createSchema();
      log.printf("I1  loading the same entries into PostgreSQL (8 connections, INSERTs of 500 rows)...%n");
      long t0 = System.nanoTime();
      PostgresLoad.load(pg, entries, 8, 500);
      double seconds = (System.nanoTime() - t0) / 1e9;
      pg.analyze();
      long rows = lines(entries);
      log.printf("    %,d rows in %.1f s (%,.0f/s)%n", rows, seconds, rows / seconds);
      pgLoad = Side.value(rows / seconds);
      pgBytes = Side.value((double) pg.totalBytes() / rows);
      if (o.wants("I2")) {
        List<EventRow> rowsToInsert = latencyRows(o.seed() + 1, end);
        List<Connection> opened = java.util.Collections.synchronizedList(new ArrayList<>());
        pgLatency = LatencyProbe.run(2000, rowsToInsert.size(), 32, () -> {
          Connection c = pg.connect();
          opened.add(c);
          return i -> pg.insert(c, List.of(rowsToInsert.get(i)));
        }).side();
        for (Connection c : opened) c.close();
      }
      try (Connection c = pg.connect()) {
        for (String q : QUERIES) {
          if (!o.wants(q)) continue;
          log.printf("%s  %d runs on PostgreSQL...%n", q, o.runs());
          List<Object> answers = new ArrayList<>();
          Latencies lat = time(q, plan, draw -> {
            try {
              return draw.postgres(c);
            } catch (java.sql.SQLException e) {
              throw new IllegalStateException(e);
            }
          }, answers);
          compare(q, tbAnswers.get(q), answers);
          pgQueries.put(q, lat.side());
        }
      }
      if (exportWorkspace != null) {
        try (Connection c = pg.connect()) {
          long t = System.nanoTime();
          long copied = new org.postgresql.copy.CopyManager(c.unwrap(org.postgresql.core.BaseConnection.class)).copyOut(
              "COPY (SELECT doc FROM events WHERE workspace = '" + exportWorkspace + "' ORDER BY seq) TO STDOUT", java.io.OutputStream.nullOutputStream());
          pgExport = Side.value(copied / ((System.nanoTime() - t) / 1e9));
        }
      }
    } catch (IOException | java.sql.SQLException e) {
      log.println("PostgreSQL could not be started or reached (" + e.getMessage() + "): showing Trailbook's figures alone.");
    }
    measures.add(new Measure("I1", "bulk ingest, durable (and searchable)", "events/s", "higher", tbLoad, pgLoad,
        ">= 100,000", tbLoad.value() >= 100_000));
    if (tbLatency != null) {
      measures.add(new Measure("I2", "single-event ingest latency at 2,000/s", "ms", "lower", tbLatency.side(), pgLatency,
          "p50 <= 1, p99 <= 5", tbLatency.p(0.5) <= 1 && tbLatency.p(0.99) <= 5));
    }
    for (String q : tbQueries.keySet()) {
      Latencies tbLat = tbQueries.get(q);
      measures.add(new Measure(q, describe(q), "ms", "lower", tbLat.side(), pgQueries.getOrDefault(q, pgLoad), target(q), met(q, tbLat)));
    }
    measures.add(new Measure("X1", "full verification from disk", "events/s", "higher", x1, x1Peer, ">= 1,500,000",
        x1.value() == null ? null : x1.value() >= 1_500_000));
    measures.add(new Measure("R1", "bytes on disk per event", "B", "lower", tbDisk, pgBytes, "<= 1,000", tbDisk.value() <= 1000));
    measures.add(new Measure("R1m", "server peak resident memory", "MB", "lower", tbRss, null, null, null));
    if (exportWorkspace != null) {
      measures.add(new Measure("E1", "NDJSON export of one workspace", "events/s", "higher", tbExport, pgExport, ">= 500,000",
          tbExport.value() != null && tbExport.value() >= 500_000));
    }
    if (visibility != null) {
      measures.add(new Measure("V1s", "ack to visible in search", "ms", "lower", visibility.searchable().side(), null, "p99 <= 250",
          visibility.searchable().p(0.99) <= 250));
      measures.add(new Measure("V1l", "ack to delivered on the live stream", "ms", "lower", visibility.streamed().side(), null, "p99 <= 50",
          visibility.streamed().p(0.99) <= 50));
    }
    return new Result(measures, same, firstDifference);
  }

  private String createWorkspace(Http http, String ws) {
    http.post("/v1/workspaces", ADMIN, "application/json", ("{\"id\":\"" + ws + "\"}").getBytes(StandardCharsets.UTF_8));
    JsonNode k = Json.MAPPER.readTree(http.post("/v1/workspaces/" + ws + "/keys", ADMIN, "application/json",
        "{\"name\":\"bench\",\"scopes\":[\"ingest\",\"read\",\"export\"]}".getBytes(StandardCharsets.UTF_8)));
    return k.get("key").asString();
  }

  /**
   * Waits until every stored entry is searchable (stats over all time count them all) and returns
   * the seconds since {@code t0}; -1 where the server has no search.
   */
  private double waitSearchable(Http http, Map<String, String> keys, Map<String, Long> sizes, long t0) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (Map.Entry<String, String> k : keys.entrySet()) {
        try {
          all &= http.getJson("/v1/stats", k.getValue()).get("total").asLong() >= sizes.get(k.getKey());
        } catch (IllegalStateException notThere) {
          return -1;
        }
      }
      if (all) return (System.nanoTime() - t0) / 1e9;
      Thread.sleep(20); // polling the server's own answer; the figure is the time it first holds
    }
    throw new IllegalStateException("the index did not catch up within 30 minutes");
  }

  private Latencies time(String q, QueryPlan plan, java.util.function.Function<Queries.Draw, Object> run, List<Object> answers) {
    Random r = new Random(o.seed() * 31 + q.hashCode());
    Latencies lat = new Latencies();
    for (int i = 0; i < o.warmup() + o.runs(); i++) {
      Queries.Draw d = Queries.draw(q, plan, r, Marker.QUASAR.word());
      long t = System.nanoTime();
      Object answer = run.apply(d);
      long took = System.nanoTime() - t;
      if (i >= o.warmup()) {
        lat.add(took);
        answers.add(answer);
      }
    }
    return lat;
  }

  private void compare(String q, List<Object> tb, List<Object> pg) {
    boolean equal = true;
    for (int i = 0; i < tb.size() && equal; i++) {
      if (!Objects.equals(tb.get(i), pg.get(i))) {
        equal = false;
        firstDifference.put(q, "run " + i + ": Trailbook " + tb.get(i) + " vs PostgreSQL " + pg.get(i));
      }
    }
    same.put(q, equal);
  }

  private Side verify(Path data, long events) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(TrailbookProcess.command(o.serverJar(), "verify", "--data", data.toString())).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (code == 2) return Side.missing("no verify command yet");
    if (code != 0) throw new IllegalStateException("verify failed on an untouched data directory: " + out);
    return Side.value(events / seconds);
  }

  /** The physical limit of X1: SHA-256 of every entry once, one thread. */
  private static Side sha256Rate(Path entries) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long n = 0;
    long t0 = System.nanoTime();
    try (var r = Files.newBufferedReader(entries)) {
      for (String line; (line = r.readLine()) != null; n++) {
        sha.update((byte) 0);
        sha.digest(line.getBytes(StandardCharsets.UTF_8));
      }
    }
    return Side.value(n / ((System.nanoTime() - t0) / 1e9));
  }

  private List<byte[]> latencyEvents(long seed, Instant end) {
    List<byte[]> out = new ArrayList<>();
    for (GeneratedEvent e : new WorkloadGenerator(WorkloadSpec.singleWorkspace(seed, o.latencyEvents(), "ws-latency", end))) out.add(e.json());
    return out;
  }

  private List<EventRow> latencyRows(long seed, Instant end) {
    List<EventRow> out = new ArrayList<>();
    long seq = 0;
    for (GeneratedEvent e : new WorkloadGenerator(WorkloadSpec.singleWorkspace(seed, o.latencyEvents(), "ws-latency", end))) {
      var node = e.event();
      node.put("workspace", "ws-latency");
      node.put("seq", seq++);
      if (!node.has("category")) node.put("category", node.get("action").asString().split("\\.")[0]);
      if (!node.has("status")) node.put("status", "success");
      if (!node.has("type")) node.put("type", "user_action");
      out.add(EventRow.of(node, node.toString()));
    }
    return out;
  }

  private static String exportWorkspace(QueryPlan plan) {
    return plan.sizes.entrySet().stream().filter(e -> e.getValue() <= EXPORT_LIMIT).max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey).orElse(plan.largest);
  }

  private static long lines(Path file) throws IOException {
    try (Stream<String> l = Files.lines(file)) {
      return l.count();
    }
  }

  private static long directoryBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static String describe(String q) {
    return switch (q) {
      case "Q1" -> "newest 20 of a workspace";
      case "Q2" -> "newest 20, category + failure + 7 days";
      case "Q3" -> "free text, word in 0.1% of events";
      case "Q4" -> "newest 20 of one resource";
      case "Q5" -> "stats for 30 days, largest workspace";
      case "Q6" -> "facet counts for 7 days, largest workspace";
      default -> q;
    };
  }

  private static String target(String q) {
    return switch (q) {
      case "Q1", "Q2", "Q4" -> "p50 <= 0.5, p99 <= 2";
      case "Q3" -> "p50 <= 1";
      case "Q5" -> "p50 <= 15";
      case "Q6" -> "p50 <= 2";
      default -> null;
    };
  }

  private static Boolean met(String q, Latencies l) {
    return switch (q) {
      case "Q1", "Q2", "Q4" -> l.p(0.5) <= 0.5 && l.p(0.99) <= 2;
      case "Q3" -> l.p(0.5) <= 1;
      case "Q5" -> l.p(0.5) <= 15;
      case "Q6" -> l.p(0.5) <= 2;
      default -> null;
    };
  }
}
