package org.trailbook.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Waits until the server has given back the disk space of what was purged, as its {@code /metrics} say: the journal's
 * background compaction has no sealed segment waiting ({@code trailbook_journal_compaction_pending_segments} 0), and
 * the search index no merge of purged documents to come or running ({@code trailbook_search_purge_merge_pending} 0). R2 counts the journal's part as part of the purge, since the disk space
 * is what a purge is for, and goes on measuring single events until the index's part is done too. Also waits for search
 * to leave the purged entries out ({@link #awaitSearchPurged}).
 */
final class CompactionWait {
  static final String JOURNAL = "trailbook_journal_compaction_pending_segments";
  static final List<String> INDEX = List.of("trailbook_search_purge_merge_pending");

  private CompactionWait() {}

  /** Seconds waited for the journal's compaction; fails after {@code timeout}. */
  static double await(Http http, Duration timeout) throws InterruptedException {
    return awaitZero(http, timeout, List.of(JOURNAL), "the journal's compaction");
  }

  /** Seconds waited for the index's merge of the purged documents (it starts a while after the last purge); fails after {@code timeout}. */
  static double awaitIndex(Http http, Duration timeout) throws InterruptedException {
    return awaitZero(http, timeout, INDEX, "the search index's merge of the purged documents");
  }

  /** Polls every 20 ms until every one of {@code gauges} is 0 in one scrape. */
  private static double awaitZero(Http http, Duration timeout, List<String> gauges, String what) throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    while (true) {
      String exposition = new String(http.get("/metrics", BenchRun.ADMIN), StandardCharsets.UTF_8);
      if (gauges.stream().allMatch(g -> valueOf(exposition, g) == 0)) return (System.nanoTime() - t0) / 1e9;
      if (System.nanoTime() > deadline) throw new IllegalStateException(what + " did not finish within " + timeout);
      Thread.sleep(20); // polling an outside process's state: there is nothing to wait on but its metrics
    }
  }

  static double valueOf(String exposition, String gauge) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(gauge + " ")) return Double.parseDouble(line.substring(gauge.length() + 1).trim());
    }
    throw new IllegalStateException("the server's /metrics has no " + gauge);
  }

  /**
   * Waits (at most 5 minutes) until the search index no longer counts the purged entries: it met every purge's record,
   * so the merge of their documents is due; says so if it never does.
   */
  static void awaitSearchPurged(Http http, Map<String, String> keys, Map<String, Long> sizes, List<PurgePass> passes, PrintStream log)
      throws InterruptedException {
    Map<String, Long> expected = new TreeMap<>();
    for (PurgePass p : passes) expected.put(p.workspace(), sizes.get(p.workspace()) + 1 - p.removed()); // + the purge's record
    long t0 = System.nanoTime();
    long deadline = t0 + TimeUnit.MINUTES.toNanos(5);
    while (true) {
      boolean all = true;
      for (Map.Entry<String, Long> e : expected.entrySet()) {
        all &= http.getJson("/v1/stats", keys.get(e.getKey())).get("total").asLong() == e.getValue();
      }
      if (all) {
        log.printf("    the search index left the purged entries out %.1f s after the last pass%n", (System.nanoTime() - t0) / 1e9);
        return;
      }
      if (System.nanoTime() > deadline) {
        log.println("    the search index still counted purged entries 5 minutes after the purge: bytes measured anyway");
        return;
      }
      Thread.sleep(50); // polling the server's answer until it holds or the deadline passes
    }
  }
}
