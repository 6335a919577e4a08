package org.trailbook.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.trailbook.Json;
import org.trailbook.workload.GeneratedEvent;
import org.trailbook.workload.WorkloadGenerator;
import org.trailbook.workload.WorkloadSpec;
import tools.jackson.databind.JsonNode;

/**
 * One Trailbook side of the benchmark: the server processes of one {@link BenchStore} loaded with
 * workload W over HTTP, then every selected measure taken on them, the load and the queries spread
 * over the nodes in turn. The first side also writes the entries the peer loads and learns the query
 * plan from them; later sides load the same workload and answer the same draws.
 */
final class TrailbookSide {
  /** What one side measured; {@code plan} is the query plan learned from the first side's entries. */
  record Figures(BenchStore store, long stored, QueryPlan plan, Side load, Side disk, Side rss, Latencies latency,
      Map<String, Latencies> queries, Map<String, List<Object>> answers, Visibility.Result visibility,
      String exportWorkspace, Side export, Side verify, Map<String, List<String>> auditIds, Side storeDisk, Side nodeDisk) {}

  private final BenchOptions o;
  private final PrintStream log;
  private final WorkloadSpec spec;
  private final Instant end;
  private final Path entries;

  /** {@code entries}: where the first side writes every stored entry, one per line, for the peer. */
  TrailbookSide(BenchOptions options, PrintStream log, WorkloadSpec spec, Instant end, Path entries) {
    this.o = options;
    this.log = log;
    this.spec = spec;
    this.end = end;
    this.entries = entries;
  }

  /**
   * Runs the side on {@code storeUrl} (empty: the embedded store), whose size {@code storeBytes}
   * tells (0 for the embedded store: everything is in the data directories). {@code plan} is null
   * for the first side, which dumps the entries and learns it.
   */
  Figures run(BenchStore store, Optional<String> storeUrl, Callable<Long> storeBytes, QueryPlan plan) throws Exception {
    String label = store.label();
    Map<String, String> keys = new LinkedHashMap<>();
    long stored;
    Side load;
    Side disk;
    Side storeDisk;
    Side nodeDisk;
    Side rss;
    Latencies latency = null;
    Map<String, Latencies> queries = new LinkedHashMap<>();
    Map<String, List<Object>> answers = new LinkedHashMap<>();
    Visibility.Result visibility = null;
    String exportWorkspace = null;
    Side export = Side.missing("not run");
    Path firstData;
    Map<String, List<String>> auditIds = new LinkedHashMap<>();
    try (TrailbookNodes tb = new TrailbookNodes(store, storeUrl, o.serverJar(), o.workDir(), BenchRun.ADMIN, o.serverJavaOptions())) {
      firstData = tb.process(0).data;
      Http first = tb.all().getFirst();
      for (String ws : spec.workspaces()) keys.put(ws, createWorkspace(first, ws));
      checkShared(tb, keys);
      // creating a workspace and its key are recorded in its log: two entries before the load
      log.printf("I1  [%s] loading %,d events into Trailbook over HTTP (8 clients, batches of 500%s)...%n", label, o.events(),
          tb.size() > 1 ? ", spread over " + tb.size() + " nodes" : "");
      long t0 = System.nanoTime();
      Map<String, Long> loaded = TrailbookLoad.load(tb::next, keys, new WorkloadGenerator(spec), 8, 500);
      double ackSeconds = (System.nanoTime() - t0) / 1e9;
      stored = loaded.values().stream().mapToLong(Long::longValue).sum();
      Map<String, Long> sizes = new LinkedHashMap<>();
      for (String ws : keys.keySet()) sizes.put(ws, loaded.getOrDefault(ws, 0L) + BenchRun.AUDIT_ENTRIES_PER_WORKSPACE);
      double indexedSeconds = waitSearchable(tb.all(), keys, sizes, t0);
      tb.checkNoLocalJournal();
      for (Map.Entry<String, String> k : keys.entrySet()) auditIds.put(k.getKey(), auditIds(first, k.getValue()));
      long entryCount;
      if (plan == null) {
        entryCount = PostgresLoad.dump(first, keys, sizes, entries);
        plan = QueryPlan.learn(end, entries, o.seed());
      } else {
        entryCount = sizes.values().stream().mapToLong(Long::longValue).sum();
      }
      load = Side.value(stored / (indexedSeconds > 0 ? indexedSeconds : ackSeconds));
      log.printf("    %,d events acknowledged in %.1f s (%,.0f/s)%s%n", stored, ackSeconds, stored / ackSeconds,
          indexedSeconds > 0 ? String.format(", searchable%s after %.1f s", tb.size() > 1 ? " on every node" : "", indexedSeconds) : "");
      long dataBytes = tb.dataBytes();
      long inStore = storeBytes.call();
      disk = Side.value((double) (dataBytes + inStore) / entryCount);
      storeDisk = Side.value((double) inStore / entryCount);
      nodeDisk = Side.value((double) dataBytes / tb.size() / entryCount);
      log.printf("    on disk: %,d bytes in the store's tables, %,d in %d data director%s (%,.0f and %,.0f B per entry per node)%n", inStore, dataBytes,
          tb.size(), tb.size() == 1 ? "y" : "ies", (double) inStore / entryCount, (double) dataBytes / tb.size() / entryCount);
      if (o.wants("I2")) latency = latency(tb, label);
      for (String q : BenchRun.QUERIES) {
        if (!o.wants(q)) continue;
        log.printf("%s  [%s] %d runs on Trailbook...%n", q, label, o.runs());
        List<Object> bodies = new ArrayList<>();
        List<Queries.Draw> draws = new ArrayList<>();
        queries.put(q, BenchRun.time(o, q, plan, draw -> {
          draws.add(draw);
          return draw.trailbook(tb.next(), keys);
        }, bodies));
        // the answers are read after the timing, as a client would read what it needs
        List<Object> read = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) read.add(draws.get(o.warmup() + i).trailbookAnswer((byte[]) bodies.get(i)));
        answers.put(q, read);
      }
      if (o.wants("V1")) {
        List<String> urls = tb.urls();
        String reader = urls.get(urls.size() > 1 ? 1 : 0);
        log.printf("V1  [%s] %d single events: acknowledgement to searchable and to the live stream%s...%n", label, BenchRun.V1_PROBES,
            urls.size() > 1 ? " (written through node 1, seen on node 2)" : "");
        String key = createWorkspace(first, "ws-visibility");
        if (!knows(tb.all().get(urls.indexOf(reader)), key)) throw new IllegalStateException("the V1 reading node does not know the new key within 5 s");
        visibility = Visibility.measure(urls.getFirst(), reader, key, BenchRun.V1_PROBES);
      }
      if (o.wants("E1")) {
        exportWorkspace = BenchRun.exportWorkspace(plan);
        log.printf("E1  [%s] NDJSON export of %s (%,d entries)...%n", label, exportWorkspace, plan.sizes.get(exportWorkspace));
        long t = System.nanoTime();
        long bytes = first.get("/v1/exports/download?format=ndjson", keys.get(exportWorkspace)).length;
        export = Side.value(plan.sizes.get(exportWorkspace) / ((System.nanoTime() - t) / 1e9));
        log.printf("    %,d bytes%n", bytes);
      }
      rss = Side.value(tb.peakRssBytes() / 1e6);
    }
    Side verified = storeUrl.isPresent() ? verify(stored, "verify", "--store", storeUrl.get()) : verify(stored, "verify", "--data", firstData.toString());
    return new Figures(store, stored, plan, load, disk, rss, latency, queries, answers, visibility, exportWorkspace, export, verified, auditIds, storeDisk, nodeDisk);
  }

  /**
   * The ids of a workspace's first entries (workspace created, key created): the server gives them
   * fresh ids on each side, so a later side's answers name them differently from the first side's.
   */
  private static List<String> auditIds(Http http, String key) {
    List<String> ids = new ArrayList<>();
    String lines = new String(http.get("/v1/log/entries?start=0&end=" + BenchRun.AUDIT_ENTRIES_PER_WORKSPACE, key), StandardCharsets.UTF_8);
    for (String line : lines.split("\n")) {
      if (!line.isBlank()) ids.add(Json.MAPPER.readTree(line).get("id").asString());
    }
    return ids;
  }

  /** I2: single events at 2,000/s, each worker on its own connection to the next node in turn. */
  private Latencies latency(TrailbookNodes tb, String label) throws InterruptedException {
    String key = createWorkspace(tb.all().getFirst(), "ws-latency");
    List<byte[]> singles = latencyEvents(o.seed() + 1, end);
    RoundRobin<String> urls = new RoundRobin<>(tb.urls());
    log.printf("I2  [%s] %,d single events at 2,000/s into Trailbook...%n", label, singles.size());
    try {
      return LatencyProbe.run(2000, singles.size(), 32, () -> {
        Connection1 c = new Connection1(urls.next());
        return i -> {
          int status = c.post("/v1/events", key, singles.get(i));
          if (status != 201) throw new IllegalStateException("single event answered " + status);
        };
      });
    } catch (IllegalStateException e) {
      for (int n = 0; n < tb.size(); n++) {
        List<String> out = tb.output(n);
        log.println(String.join("\n", out.subList(Math.max(0, out.size() - 40), out.size())));
      }
      throw e;
    }
  }

  static String createWorkspace(Http http, String ws) {
    http.post("/v1/workspaces", BenchRun.ADMIN, "application/json", ("{\"id\":\"" + ws + "\"}").getBytes(StandardCharsets.UTF_8));
    JsonNode k = Json.MAPPER.readTree(http.post("/v1/workspaces/" + ws + "/keys", BenchRun.ADMIN, "application/json",
        "{\"name\":\"bench\",\"scopes\":[\"ingest\",\"read\",\"export\"]}".getBytes(StandardCharsets.UTF_8)));
    return k.get("key").asString();
  }

  /**
   * Every node knows the keys made through the first: the nodes share one store (else the figures
   * would mean nothing). A node may learn of a new key a moment later, so each is asked for a few seconds.
   */
  private static void checkShared(TrailbookNodes tb, Map<String, String> keys) throws InterruptedException {
    String key = keys.values().iterator().next();
    for (int i = 1; i < tb.size(); i++) {
      if (!knows(tb.all().get(i), key)) {
        throw new IllegalStateException("node " + (i + 1) + " does not know a key made through node 1 within 5 s: the nodes do not"
            + " share one store (does this server jar run on --store?)");
      }
    }
  }

  /** Whether {@code node} accepts {@code key} within 5 s. */
  private static boolean knows(Http node, String key) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try {
        node.get("/v1/events?limit=1", key);
        return true;
      } catch (IllegalStateException notYet) {
        if (System.nanoTime() > deadline) return false;
        Thread.sleep(20); // polling the node's own answer until it holds or the deadline passes
      }
    }
  }

  /**
   * Waits until every stored entry is searchable on every node (stats over all time count them all)
   * and returns the seconds since {@code t0}; -1 where the server has no search.
   */
  static double waitSearchable(List<Http> nodes, Map<String, String> keys, Map<String, Long> sizes, long t0) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (Http http : nodes) {
        for (Map.Entry<String, String> k : keys.entrySet()) {
          try {
            all &= http.getJson("/v1/stats", k.getValue()).get("total").asLong() >= sizes.get(k.getKey());
          } catch (IllegalStateException notThere) {
            return -1;
          }
        }
      }
      if (all) return (System.nanoTime() - t0) / 1e9;
      Thread.sleep(20); // polling the server's own answer; the figure is the time it first holds
    }
    throw new IllegalStateException("the index did not catch up within 30 minutes");
  }

  /** Waits until the latest signed checkpoint of every workspace covers its whole log: the purger never purges past it. */
  static void awaitCheckpoints(Http http, Map<String, String> keys, Map<String, Long> sizes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    for (Map.Entry<String, String> k : keys.entrySet()) {
      while (true) {
        long treeSize = -1;
        try {
          treeSize = Long.parseLong(new String(http.get("/v1/log/checkpoint", k.getValue()), StandardCharsets.UTF_8).split("\n")[1].strip());
        } catch (IllegalStateException noneYet) {
          // 404 until the first checkpoint is signed
        }
        if (treeSize >= sizes.get(k.getKey())) break;
        if (System.nanoTime() > deadline) throw new IllegalStateException("no checkpoint of " + k.getKey() + " covers its " + sizes.get(k.getKey()) + " entries");
        Thread.sleep(20); // polling the server's answer until it holds or the deadline passes
      }
    }
  }

  /** X1: {@code trailbook verify} over the whole log, in events per second. */
  private Side verify(long events, String... args) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(TrailbookProcess.command(o.serverJar(), args)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (code == 2) return Side.missing("no " + String.join(" ", args[0], args[1]) + " yet");
    if (code != 0) throw new IllegalStateException("verify failed on an untouched log: " + out);
    return Side.value(events / seconds);
  }

  private List<byte[]> latencyEvents(long seed, Instant end) {
    List<byte[]> out = new ArrayList<>();
    for (GeneratedEvent e : new WorkloadGenerator(WorkloadSpec.singleWorkspace(seed, o.latencyEvents(), "ws-latency", end))) out.add(e.json());
    return out;
  }
}
