package org.trailbook.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import org.trailbook.workload.Marker;
import org.trailbook.workload.WorkloadSpec;

/**
 * One run of the benchmark: each Trailbook side ({@link BenchStore}: the file store, PostgreSQL on 1
 * to 3 nodes) and the plain-PostgreSQL peer loaded with workload W, then every selected measure on
 * each; the report has one row per measure and side, each beside the peer's figure.
 */
final class BenchRun {
  /**
   * The measures, and for each query whether every draw got the same answer on a Trailbook side and
   * on the peer: keyed by the query id for the first side, {@code "Q1 on postgresql x3"} for others.
   */
  record Result(List<Measure> measures, Map<String, Boolean> sameAnswers, Map<String, String> firstDifference) {}

  static final String ADMIN = "tba_benchmark_admin_key";
  /** workspace created, key created: recorded in each workspace's own log. */
  static final int AUDIT_ENTRIES_PER_WORKSPACE = 2;
  static final int V1_PROBES = 200;
  /** The server's default per-export limit: E1 exports the largest workspace that fits in it. */
  static final long EXPORT_LIMIT = 100_000;
  static final List<String> QUERIES = List.of("Q1", "Q2", "Q3", "Q4", "Q5", "Q6");
  private final BenchOptions o;
  private final PrintStream log;
  private final List<Measure> measures = new ArrayList<>();
  private final Map<String, Boolean> same = new LinkedHashMap<>();
  private final Map<String, String> firstDifference = new LinkedHashMap<>();

  BenchRun(BenchOptions options, PrintStream log) {
    this.o = options;
    this.log = log;
  }

  Result run() throws Exception {
    Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    WorkloadSpec spec = WorkloadSpec.benchmark(o.seed(), o.events(), end);
    Path entries = o.workDir().resolve("entries.ndjson");
    List<TrailbookSide.Figures> sides = new ArrayList<>();
    PostgresPeer pg = null;
    String pgProblem = null;
    PeerSide.Figures peer = null;
    RetentionSide.Figures r2 = null;
    RetentionPeer.Figures r2Peer = null;
    try {
      QueryPlan plan = null;
      for (BenchStore store : mainSides() ? o.stores() : List.<BenchStore>of()) {
        Optional<String> storeUrl = Optional.empty();
        Callable<Long> storeBytes = () -> 0L;
        if (store.kind() == BenchStore.Kind.POSTGRESQL) {
          // the PostgreSQL-backed side uses a database of its own on the peer's server: same server, same tuning
          if (pg == null && pgProblem == null) {
            try {
              pg = PostgresPeer.start(o.pgUrl(), o.workDir().resolve("pg"));
            } catch (IOException e) {
              pgProblem = e.getMessage();
            }
          }
          if (pg == null) {
            log.println("PostgreSQL could not be started (" + pgProblem + "): the " + store.label() + " side cannot run.");
            continue;
          }
          String database = "trailbook_" + store.slug();
          storeUrl = Optional.of(pg.createStore(database));
          PostgresPeer server = pg;
          storeBytes = () -> server.databaseBytes(database, log);
        }
        TrailbookSide.Figures f = new TrailbookSide(o, log, spec, end, entries).run(store, storeUrl, storeBytes, plan);
        plan = f.plan();
        sides.add(f);
      }
      if (sides.isEmpty() && mainSides()) throw new IllegalStateException("no Trailbook side could run: " + pgProblem);
      if (pgProblem == null && !sides.isEmpty()) {
        try {
          if (pg == null) pg = PostgresPeer.start(o.pgUrl(), o.workDir().resolve("pg"));
          peer = PeerSide.measure(o, log, pg, plan, end, entries, sides.getFirst().exportWorkspace());
          for (String q : peer.answers().keySet()) {
            for (int i = 0; i < sides.size(); i++) {
              TrailbookSide.Figures side = sides.get(i);
              List<Object> answers = i == 0 ? side.answers().get(q) : sameIds(side.answers().get(q), side.auditIds(), sides.getFirst().auditIds());
              compare(i == 0 ? q : q + " on " + side.store().label(), answers, peer.answers().get(q));
            }
          }
        } catch (IOException | java.sql.SQLException e) {
          log.println("PostgreSQL could not be started or reached (" + e.getMessage() + "): showing Trailbook's figures alone.");
        }
      }
      if (o.only().contains("R2")) {
        if (o.stores().stream().noneMatch(s -> s.kind() == BenchStore.Kind.FILE)) {
          log.println("R2  runs on the file store only: add file to --store to run it");
        } else {
          r2 = new RetentionSide(o, log, end).run();
          if (!o.retentionPeer()) log.println("R2  without the PostgreSQL peer (--no-r2-peer)");
          else try {
            if (pg == null) pg = PostgresPeer.start(o.pgUrl(), o.workDir().resolve("pg"));
            r2Peer = RetentionPeer.measure(pg, r2.entriesFile(), log);
            if (r2Peer.deleted() != r2.removed()) {
              log.printf("R2  WARNING: PostgreSQL deleted %,d rows where Trailbook removed %,d entries: the two purges differ%n", r2Peer.deleted(), r2.removed());
            }
          } catch (IOException | java.sql.SQLException e) {
            log.println("PostgreSQL could not be started or reached (" + e.getMessage() + "): R2 shows Trailbook's figures alone.");
          }
        }
      }
    } finally {
      if (pg != null) pg.close();
    }
    if (!sides.isEmpty()) {
      Side x1Peer = sha256Rate(entries);
      addMeasures(sides, peer == null ? PeerSide.Figures.missing() : peer, x1Peer);
    }
    if (r2 != null) measures.addAll(RetentionMeasures.of(r2, r2Peer));
    return new Result(measures, same, firstDifference);
  }

  /**
   * Whether a measure other than R2 is asked for. R2 loads W once more into a server of its own (its
   * clock moved in between) and into the peer: as long again as the rest of the run, so it runs only
   * when named ({@code --only R2}, or with others), never in the default run.
   */
  private boolean mainSides() {
    return o.only().isEmpty() || o.only().stream().anyMatch(id -> !id.equals("R2"));
  }

  /** The report's rows: each measure once per Trailbook side, side by side, each beside the peer's figure. */
  private void addMeasures(List<TrailbookSide.Figures> sides, PeerSide.Figures pg, Side x1Peer) {
    for (TrailbookSide.Figures f : sides) {
      measures.add(new Measure("I1", f.store().label(), "bulk ingest, durable (and searchable)", "events/s", "higher", f.load(), pg.load(),
          ">= 100,000", f.load().value() >= 100_000));
    }
    for (TrailbookSide.Figures f : sides) {
      Latencies l = f.latency();
      if (l == null) continue;
      measures.add(new Measure("I2", f.store().label(), "single-event ingest latency at 2,000/s", "ms", "lower", l.side(), pg.latency(),
          "p50 <= 1, p99 <= 5", l.p(0.5) <= 1 && l.p(0.99) <= 5));
    }
    for (String q : QUERIES) {
      for (TrailbookSide.Figures f : sides) {
        Latencies l = f.queries().get(q);
        if (l == null) continue;
        measures.add(new Measure(q, f.store().label(), describe(q), "ms", "lower", l.side(), pg.queries().getOrDefault(q, pg.load()), target(q), met(q, l)));
      }
    }
    for (TrailbookSide.Figures f : sides) {
      Side x1 = f.verify();
      measures.add(new Measure("X1", f.store().label(), f.store().kind() == BenchStore.Kind.FILE ? "full verification from disk" : "full verification from the database", "events/s", "higher", x1, x1Peer, ">= 1,500,000",
          x1.value() == null ? null : x1.value() >= 1_500_000));
    }
    for (TrailbookSide.Figures f : sides) {
      measures.add(new Measure("R1", f.store().label(), "bytes on disk per event", "B", "lower", f.disk(), pg.bytes(), "<= 1,000",
          f.disk().value() <= 1000));
    }
    for (TrailbookSide.Figures f : sides) {
      if (f.store().kind() != BenchStore.Kind.POSTGRESQL) continue;
      measures.add(new Measure("R1d", f.store().label(), "bytes per event in the database's tables", "B", "lower", f.storeDisk(), pg.bytes(), null, null));
      measures.add(new Measure("R1n", f.store().label(), "bytes per event in one node's data directory", "B", "lower", f.nodeDisk(), null, null, null));
    }
    for (TrailbookSide.Figures f : sides) {
      measures.add(new Measure("R1m", f.store().label(), f.store().nodes() > 1 ? "server peak resident memory (largest node)" : "server peak resident memory",
          "MB", "lower", f.rss(), null, null, null));
    }
    for (TrailbookSide.Figures f : sides) {
      if (f.exportWorkspace() == null) continue;
      Side e = f.export();
      measures.add(new Measure("E1", f.store().label(), "NDJSON export of one workspace", "events/s", "higher", e, pg.export(), ">= 500,000",
          e.value() != null && e.value() >= 500_000));
    }
    for (TrailbookSide.Figures f : sides) {
      Visibility.Result v = f.visibility();
      if (v == null) continue;
      String where = f.store().nodes() > 1 ? " of another node" : "";
      measures.add(new Measure("V1s", f.store().label(), "ack to visible in search" + where, "ms", "lower", v.searchable().side(), null, "p99 <= 250",
          v.searchable().p(0.99) <= 250));
      measures.add(new Measure("V1l", f.store().label(), "ack to delivered on the live stream" + where, "ms", "lower", v.streamed().side(), null, "p99 <= 50",
          v.streamed().p(0.99) <= 50));
    }
  }

  static Latencies time(BenchOptions o, String q, QueryPlan plan, java.util.function.Function<Queries.Draw, Object> run, List<Object> answers) {
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

  /**
   * {@code answers} of a later side with the ids of its audit entries (workspace and key created)
   * replaced by the first side's ids of the same entries: the peer holds the first side's entries,
   * and those two entries are the only ones whose ids the server chooses.
   */
  static List<Object> sameIds(List<Object> answers, Map<String, List<String>> mine, Map<String, List<String>> first) {
    Map<String, String> rename = new java.util.HashMap<>();
    mine.forEach((ws, ids) -> {
      List<String> theirs = first.get(ws);
      for (int i = 0; theirs != null && i < Math.min(ids.size(), theirs.size()); i++) rename.put(ids.get(i), theirs.get(i));
    });
    List<Object> out = new ArrayList<>();
    for (Object a : answers) {
      if (a instanceof List<?> ids) out.add(ids.stream().map(id -> rename.getOrDefault(id, (String) id)).toList());
      else out.add(a);
    }
    return out;
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

  static String exportWorkspace(QueryPlan plan) {
    return plan.sizes.entrySet().stream().filter(e -> e.getValue() <= EXPORT_LIMIT).max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey).orElse(plan.largest);
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
