package org.trailbook.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Waits until the server's journal has given back the disk space of what was purged: its background compaction
 * reports no sealed segment waiting ({@code trailbook_journal_compaction_pending_segments} 0 on {@code /metrics}). R2
 * counts this time as part of the purge, since the disk space is what a purge is for.
 */
final class CompactionWait {
  static final String GAUGE = "trailbook_journal_compaction_pending_segments";

  private CompactionWait() {}

  /** Seconds waited (polling every 20 ms); fails after {@code timeout}. */
  static double await(Http http, Duration timeout) throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    while (pending(http) > 0) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("the journal's compaction did not finish within " + timeout);
      Thread.sleep(20); // polling an outside process's state: there is nothing to wait on but its metrics
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The gauge's value in the exposition text. */
  static double pending(Http http) {
    return valueOf(new String(http.get("/metrics", BenchRun.ADMIN), StandardCharsets.UTF_8));
  }

  static double valueOf(String exposition) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(GAUGE + " ")) return Double.parseDouble(line.substring(GAUGE.length() + 1).trim());
    }
    throw new IllegalStateException("the server's /metrics has no " + GAUGE);
  }
}
