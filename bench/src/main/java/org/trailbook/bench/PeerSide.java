package org.trailbook.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.trailbook.workload.GeneratedEvent;
import org.trailbook.workload.WorkloadGenerator;
import org.trailbook.workload.WorkloadSpec;

/** The plain-PostgreSQL peer's side: the entries the first Trailbook side stored, loaded as rows, then the same measures in SQL. */
final class PeerSide {
  /** The peer's figures, and its answers to every query draw (compared with each Trailbook side's). */
  record Figures(Side load, Side latency, Side bytes, Map<String, Side> queries, Map<String, List<Object>> answers, Side export) {
    static Figures missing() {
      Side none = Side.missing("PostgreSQL unavailable");
      return new Figures(none, none, none, Map.of(), Map.of(), none);
    }
  }

  private PeerSide() {}

  /** Loads {@code entries} into the peer and times I1, I2, Q1–Q6 and E1 (the export of {@code exportWorkspace}, if any). */
  static Figures measure(BenchOptions o, PrintStream log, PostgresPeer pg, QueryPlan plan, Instant end, Path entries, String exportWorkspace)
      throws Exception {
    pg.createSchema();
    log.printf("I1  loading the same entries into PostgreSQL (8 connections, INSERTs of 500 rows)...%n");
    long t0 = System.nanoTime();
    PostgresLoad.load(pg, entries, 8, 500);
    double seconds = (System.nanoTime() - t0) / 1e9;
    pg.analyze();
    long rows = lines(entries);
    log.printf("    %,d rows in %.1f s (%,.0f/s)%n", rows, seconds, rows / seconds);
    Side load = Side.value(rows / seconds);
    Side bytes = Side.value((double) pg.totalBytes() / rows);
    Side latency = Side.missing("not run");
    if (o.wants("I2")) {
      List<EventRow> rowsToInsert = latencyRows(o, o.seed() + 1, end);
      List<Connection> opened = java.util.Collections.synchronizedList(new ArrayList<>());
      latency = LatencyProbe.run(2000, rowsToInsert.size(), 32, () -> {
        Connection c = pg.connect();
        opened.add(c);
        return i -> pg.insert(c, List.of(rowsToInsert.get(i)));
      }).side();
      for (Connection c : opened) c.close();
    }
    Map<String, Side> queries = new LinkedHashMap<>();
    Map<String, List<Object>> answers = new LinkedHashMap<>();
    try (Connection c = pg.connect()) {
      for (String q : BenchRun.QUERIES) {
        if (!o.wants(q)) continue;
        log.printf("%s  %d runs on PostgreSQL...%n", q, o.runs());
        List<Object> got = new ArrayList<>();
        Latencies lat = BenchRun.time(o, q, plan, draw -> {
          try {
            return draw.postgres(c);
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        }, got);
        queries.put(q, lat.side());
        answers.put(q, got);
      }
    }
    Side export = Side.missing("not run");
    if (exportWorkspace != null) {
      try (Connection c = pg.connect()) {
        long t = System.nanoTime();
        long copied = new org.postgresql.copy.CopyManager(c.unwrap(org.postgresql.core.BaseConnection.class)).copyOut(
            "COPY (SELECT doc FROM events WHERE workspace = '" + exportWorkspace + "' ORDER BY seq) TO STDOUT", java.io.OutputStream.nullOutputStream());
        export = Side.value(copied / ((System.nanoTime() - t) / 1e9));
      }
    }
    return new Figures(load, latency, bytes, queries, answers, export);
  }

  private static List<EventRow> latencyRows(BenchOptions o, long seed, Instant end) {
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

  private static long lines(Path file) throws IOException {
    try (Stream<String> l = Files.lines(file)) {
      return l.count();
    }
  }
}
