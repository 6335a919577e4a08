package org.trailbook.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.trailbook.Json;
import org.trailbook.workload.GeneratedEvent;
import org.trailbook.workload.WorkloadGenerator;
import org.trailbook.workload.WorkloadSpec;
import tools.jackson.databind.JsonNode;

/**
 * R2 on Trailbook: purging the oldest 90% of workload W by retention, through the real server jar and
 * with no back door. Entries are aged by the server's own clock: phase 1 loads the oldest 90% at the
 * real time; the server is stopped and started again on the same data directory under libfaketime
 * ({@link Faketime}) {@value #SHIFT_DAYS} days later, where every workspace gets a retention of
 * {@value #RETENTION_DAYS} days and the newest 10% arrive. Then: data directory bytes, I2 without a
 * purge, {@code POST /v1/workspaces/{ws}/retention/run} for every workspace (each timed) while I2
 * runs again and the server's resident memory is sampled, and the bytes after.
 */
final class RetentionSide {
  static final int SHIFT_DAYS = 40;
  static final int RETENTION_DAYS = 30;
  static final double OLD_SHARE = 0.9;
  static final String LATENCY_WORKSPACE = "ws-latency";
  /** Single events probed before the purges begin, so the window measured is the probe's steady state. */
  static final int PROBE_WARMUP = 1000;
  private static final Duration COMPACTION_TIMEOUT = Duration.ofMinutes(30);

  /**
   * What R2 measured on Trailbook. {@code entries}: every entry in the logs before the purge;
   * {@code before}, {@code after}: the data directory's bytes, {@code after} less what the I2
   * probes wrote meanwhile; {@code entriesFile}: every entry, one per line, for the peer; {@code
   * breakdown}: where the purge time went; {@code without}: I2 as the I2 scenario runs it; {@code alike}: I2
   * without a purge shaped like the run during the purges (the same warm-up, as many sends), the
   * fair comparison when the server cannot keep up with 2,000/s and latency grows with the run's length (null if the server's log lacked the lines); {@code
   * verify}: {@code verify --data} over the purged log afterwards.
   */
  record Figures(long entries, List<PurgePass> passes, Bytes before, Bytes after, Latencies without, Latencies alike, Latencies during,
      Latencies merging, Memory memory, Path entriesFile, PurgeBreakdown breakdown, Side verify) {
    long removed() {
      return passes.stream().mapToLong(PurgePass::removed).sum();
    }

    /** Entries removed per second of the passes run while I2 ran ({@code probed}) or on a quiet server. */
    double rate(boolean probed) {
      return PurgePass.rate(passes, probed);
    }
  }

  /** The server's memory before the purges and at most during them: resident (mapped index files included) and anonymous (heap and native). */
  record Memory(long rssBefore, long rssPeak, long anonBefore, long anonPeak) {}

  private final BenchOptions o;
  private final PrintStream log;
  private final Instant end;

  RetentionSide(BenchOptions options, PrintStream log, Instant end) {
    this.o = options;
    this.log = log;
    this.end = end;
  }

  Figures run() throws Exception {
    Path faketime = Faketime.library(); // before any work: without it R2 fails at once, naming the package
    WorkloadSpec spec = WorkloadSpec.benchmark(o.seed(), o.events(), end);
    long old = Math.round(o.events() * OLD_SHARE);
    Path data = o.workDir().resolve("trailbook-r2");
    // the daily schedule must not purge on its own during the run: its hour is half a day away
    Map<String, String> env = Map.of("TRAILBOOK_PURGE_HOUR", String.valueOf((Instant.now().atZone(ZoneOffset.UTC).getHour() + 12) % 24));
    Map<String, String> keys = new LinkedHashMap<>();
    Map<String, Long> sizes = new TreeMap<>();
    try (TrailbookProcess server = new TrailbookProcess(o.serverJar(), data, BenchRun.ADMIN, o.serverJavaOptions(), env)) {
      Http http = new Http(server.url);
      for (String ws : spec.workspaces()) {
        keys.put(ws, TrailbookSide.createWorkspace(http, ws));
        sizes.put(ws, (long) BenchRun.AUDIT_ENTRIES_PER_WORKSPACE);
      }
      log.printf("R2  phase 1: the oldest %,d of %,d events into Trailbook at the real time...%n", old, o.events());
      load(http, keys, sizes, new WorkloadGenerator(spec).stream().limit(old));
    }
    Map<String, String> shifted = new LinkedHashMap<>(env);
    shifted.putAll(Faketime.environment(faketime, SHIFT_DAYS));
    log.printf("R2  phase 2: the same server restarted %d days later (%s), retention %d days, the newest %,d events...%n", SHIFT_DAYS,
        faketime, RETENTION_DAYS, o.events() - old);
    try (TrailbookProcess server = new TrailbookProcess(o.serverJar(), data, BenchRun.ADMIN, o.serverJavaOptions(), shifted)) {
      Http http = new Http(server.url);
      for (String ws : keys.keySet()) {
        setRetention(http, ws);
        addRecord(sizes, ws);
      }
      load(http, keys, sizes, new WorkloadGenerator(spec).stream().skip(old));
      long entries = sizes.values().stream().mapToLong(Long::longValue).sum();
      Path entriesFile = o.workDir().resolve("r2-entries.ndjson");
      if (o.retentionPeer()) PostgresLoad.dump(http, keys, sizes, entriesFile); // what the peer loads
      String latencyKey = TrailbookSide.createWorkspace(http, LATENCY_WORKSPACE);
      Bytes before = Bytes.of(data, LATENCY_WORKSPACE);
      log.printf("    before the purge: %,d entries; %s%n", entries, before.describe());

      ServerSettle.await(server.pid(), settleTimeout(), log); // the merges after the load: I2 and the purges start alike
      log.printf("R2  I2 without a purge: %,d single events at 2,000/s...%n", o.latencyEvents());
      WorkloadGenerator quiet = new WorkloadGenerator(WorkloadSpec.singleWorkspace(o.seed() + 1, o.latencyEvents(), LATENCY_WORKSPACE, end));
      Latencies without = LatencyProbe.run(2000, o.latencyEvents(), 32, senders(server.url, latencyKey, quiet, new AtomicInteger()));
      // the probe's events share the journal (and the index) with W: what one costs on disk, to leave them out of the bytes after
      Bytes probed = Bytes.of(data, LATENCY_WORKSPACE);
      double probeJournal = (double) (probed.journal() - before.journal()) / o.latencyEvents();
      long rssBefore = server.rssBytes();

      List<PurgePass> passes = new ArrayList<>();
      List<String> order = new ArrayList<>(keys.keySet());
      WorkloadGenerator busy = new WorkloadGenerator(WorkloadSpec.singleWorkspace(o.seed() + 2, Integer.MAX_VALUE, LATENCY_WORKSPACE, end));
      AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE);
      AtomicInteger sent = new AtomicInteger();
      AtomicReference<List<LatencyProbe.Sample>> samples = new AtomicReference<>(List.of());
      AtomicReference<Throwable> probeFailure = new AtomicReference<>();
      long purgeStart = 0;
      long purgeEnd = 0;
      long mergeEnd = 0;
      double quietWait = 0;
      double busyWait = 0;
      long rssPeak;
      long anonBefore = RssSampler.anonBytes(server.pid());
      long anonPeak;
      try (RssSampler rss = new RssSampler(server.pid(), 10)) {
        // the largest workspace (a third of W) alone on a quiet server: the purge rate without contention
        ServerSettle.await(server.pid(), settleTimeout(), log);
        log.printf("R2  purging %s (POST /v1/workspaces/{ws}/retention/run) on a quiet server...%n", order.getFirst());
        passes.add(purge(http, order.getFirst(), false));
        quietWait = CompactionWait.await(http, COMPACTION_TIMEOUT);
        passes.set(0, passes.getFirst().plusCompaction(quietWait));
        log.printf("    the journal's compaction after it: %.3f s more%n", quietWait);
        log.printf("R2  purging the other workspaces while single events go on at 2,000/s...%n");
        Thread probe = Thread.ofPlatform().name("r2-probe").start(() -> {
          try {
            samples.set(LatencyProbe.runUntil(2000, stopAt::get, 32, senders(server.url, latencyKey, busy, sent)));
          } catch (Throwable t) {
            probeFailure.set(t);
          }
        });
        try {
          awaitSent(sent, PROBE_WARMUP, probeFailure);
          purgeStart = System.nanoTime();
          for (String ws : order.subList(1, order.size())) passes.add(purge(http, ws, true));
          busyWait = CompactionWait.await(http, COMPACTION_TIMEOUT); // I2 goes on until the disk space is back
          passes.set(passes.size() - 1, passes.getLast().plusCompaction(busyWait));
          log.printf("    the journal's compaction after them: %.3f s more%n", busyWait);
          purgeEnd = System.nanoTime();
          // and the index's too (not in the purge rate), once it met every purge's record (so its merge is due)
          CompactionWait.awaitSearchPurged(http, keys, sizes, passes, log);
          double indexWait = CompactionWait.awaitIndex(http, COMPACTION_TIMEOUT);
          mergeEnd = System.nanoTime();
          log.printf("    the search index's merge of the purged documents after that: %.3f s more%n", indexWait);
        } finally {
          stopAt.set(mergeEnd == 0 ? System.nanoTime() : mergeEnd);
          probe.join();
        }
        rss.close();
        rssPeak = rss.maxBytes();
        anonPeak = rss.maxAnonBytes();
      }
      if (probeFailure.get() != null) throw new IllegalStateException("I2 during the purge failed", probeFailure.get());
      Latencies during = LatencyProbe.within(samples.get(), purgeStart, purgeEnd);
      Latencies merging = LatencyProbe.within(samples.get(), purgeEnd, mergeEnd);
      long removed = passes.stream().mapToLong(PurgePass::removed).sum();
      double seconds = passes.stream().mapToDouble(PurgePass::seconds).sum();
      log.printf("    %,d entries removed in %.2f s (%,.0f/s on a quiet server, %,.0f/s while I2 ran); I2 during: %d sends, p50 %.2f / p99 %.2f ms"
          + " (without: p50 %.2f / p99 %.2f ms)%n", removed, seconds, PurgePass.rate(passes, false), PurgePass.rate(passes, true), during.runs(), during.p(0.5), during.p(0.99),
          without.p(0.5), without.p(0.99));
      log.printf("    I2 while the index merged the purged documents away: %d sends, p50 %.2f / p99 %.2f ms%n", merging.runs(), merging.p(0.5),
          merging.p(0.99));
      log.printf("    resident memory: %,.0f MB before, at most %,.0f MB during the purge (anonymous, not mapped files: %,.0f MB before, at most"
          + " %,.0f MB)%n", rssBefore / 1e6, rssPeak / 1e6, anonBefore / 1e6, anonPeak / 1e6);
      long probes = o.latencyEvents() + samples.get().size();
      ServerSettle.await(server.pid(), settleTimeout(), log); // the bytes once the server's own work after the purge is done
      Bytes measured = Bytes.of(data, LATENCY_WORKSPACE);
      log.printf("R2  I2 without a purge again, shaped like the run during the purges (%,d sends, the last %,d timed)...%n", samples.get().size(), during.runs());
      WorkloadGenerator later = new WorkloadGenerator(WorkloadSpec.singleWorkspace(o.seed() + 3, samples.get().size(), LATENCY_WORKSPACE, end));
      List<LatencyProbe.Sample> same = LatencyProbe.samples(2000, samples.get().size(), 32, senders(server.url, latencyKey, later, new AtomicInteger()));
      Latencies alike = new Latencies();
      for (LatencyProbe.Sample x : same.subList(Math.max(0, same.size() - during.runs()), same.size())) alike.add(x.took());
      log.printf("    p50 %.2f / p99 %.2f ms%n", alike.p(0.5), alike.p(0.99));
      long probeBytes = Math.round(probes * probeJournal);
      Bytes after = new Bytes(measured.journal() - probeBytes, measured.total() - probeBytes, measured.parts());
      log.printf("    after the purge: %s; less the journal frames of the %,d probe events (%.0f B each): %,d in the data directory, %,d in the journal"
          + " (the search index still holds the probe events)%n", measured.describe(), probes, probeJournal, after.total(), after.journal());
      PurgeBreakdown breakdown = PurgeBreakdown.of(passes.stream().map(p -> new PurgeBreakdown.Pass(p.workspace(), p.start(), p.end())).toList(),
          server.output(), quietWait + busyWait);
      if (breakdown != null) {
        log.printf("    where the purge time went: %.2f s horizon scan and store purge, %.2f s waiting for the compaction of %d segments, %.2f s appending the records,"
            + " %.2f s answering; CPU %.2f s in the passes, %.2f s in the compactor%n", breakdown.select(), breakdown.compact(), breakdown.compactions(),
            breakdown.record(), breakdown.answer(), breakdown.purgeCpu(), breakdown.compactCpu());
      }
      server.close();
      Side verified = PurgedLogVerify.run(o.serverJar(), data, entries - removed, log);
      Memory memory = new Memory(rssBefore, rssPeak, anonBefore, anonPeak);
      return new Figures(entries, passes, before, after, without, alike, during, merging, memory, entriesFile, breakdown, verified);
    }
  }

  /** Loads {@code events} (8 clients, batches of 500), adds them to {@code sizes}, waits until they are searchable and signed. */
  private void load(Http http, Map<String, String> keys, Map<String, Long> sizes, Stream<GeneratedEvent> events) throws InterruptedException {
    long t0 = System.nanoTime();
    Map<String, Long> loaded = TrailbookLoad.load(http, keys, events::iterator, 8, 500);
    loaded.forEach((ws, n) -> sizes.merge(ws, n, Long::sum));
    double searchable = TrailbookSide.waitSearchable(List.of(http), keys, sizes, t0);
    TrailbookSide.awaitCheckpoints(http, keys, sizes);
    log.printf("    %,d events loaded, searchable after %.1f s and covered by a signed checkpoint after %.1f s%n",
        loaded.values().stream().mapToLong(Long::longValue).sum(), searchable, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Sets the workspace's retention; the change is recorded in its log (one entry more). Fails unless
   * the server's clock runs {@value #SHIFT_DAYS} days ahead: its next purge time says where it is.
   */
  private static void setRetention(Http http, String ws) {
    byte[] body = ("{\"days\":" + RETENTION_DAYS + ",\"archive\":false}").getBytes(StandardCharsets.UTF_8);
    JsonNode status = Json.MAPPER.readTree(http.put("/v1/workspaces/" + ws + "/retention", BenchRun.ADMIN, "application/json", body));
    Instant next = Instant.parse(status.get("next_purge_at").asString());
    if (next.isBefore(Instant.now().plus(Duration.ofDays(SHIFT_DAYS - 1)))) {
      throw new IllegalStateException("the server's clock did not move " + SHIFT_DAYS + " days ahead under libfaketime (its next purge is at " + next + ")");
    }
  }

  private static void addRecord(Map<String, Long> sizes, String ws) {
    sizes.merge(ws, 1L, Long::sum);
  }
  /** One purge pass over {@code ws}, timed; a workspace that purges nothing fails the run (every one holds old entries). */
  private PurgePass purge(Http http, String ws, boolean probed) {
    Instant start = Instant.now();
    long t = System.nanoTime();
    JsonNode r = Json.MAPPER.readTree(http.post("/v1/workspaces/" + ws + "/retention/run", BenchRun.ADMIN, "application/json", new byte[0]));
    double seconds = (System.nanoTime() - t) / 1e9;
    Instant end = Instant.now();
    JsonNode p = r.get("purged");
    if (p == null || p.isNull()) throw new IllegalStateException("the purge of " + ws + " removed nothing: " + r.get("reason"));
    PurgePass pass = new PurgePass(ws, p.get("removed").asLong(), p.get("kept").asLong(), seconds, start, end, probed);
    log.printf("    %s: %,d removed, %,d kept (the access trail), seqs %,d..%,d, in %.3f s%n", ws, pass.removed(), pass.kept(),
        p.get("from_seq").asLong(), p.get("to_seq").asLong() - 1, seconds);
    return pass;
  }

  /** The I2 senders: each worker on its own connection, event i of {@code events} each time; counts the sends. */
  private static LatencyProbe.SenderFactory senders(String url, String key, WorkloadGenerator events, AtomicInteger sent) {
    return () -> {
      Connection1 c = new Connection1(url);
      return i -> {
        int status = c.post("/v1/events", key, events.event(i).json());
        if (status != 201) throw new IllegalStateException("single event answered " + status);
        sent.incrementAndGet();
      };
    };
  }

  /** How long to wait for the server to settle: its merges after a load grow with the load (2,000 events a second, 3 s to 10 min). */
  private Duration settleTimeout() {
    return Duration.ofSeconds(Math.clamp(o.events() / 2000, 3, 600));
  }

  private static void awaitSent(AtomicInteger sent, int count, AtomicReference<Throwable> failure) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (sent.get() < count) {
      if (failure.get() != null) throw new IllegalStateException("I2 during the purge failed", failure.get());
      if (System.nanoTime() > deadline) throw new IllegalStateException("the probe sent " + sent.get() + " of " + count + " events in 60 s");
      Thread.sleep(10); // polling the probe's own count until it holds or the deadline passes
    }
  }
}
