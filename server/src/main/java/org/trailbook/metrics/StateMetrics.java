package org.trailbook.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.trailbook.export.Exports;
import org.trailbook.health.Liveness;
import org.trailbook.health.PartHealth;
import org.trailbook.search.SearchIndex;
import org.trailbook.stream.StreamHub;

/**
 * Gauges and counters read from the parts at each scrape (nothing is recorded on their paths):
 *
 * <ul>
 *   <li>{@code trailbook_search_index_lag_entries}: entries in the journal the searcher does not show yet.
 *   <li>{@code trailbook_streams_open}, {@code trailbook_streams_opened_total}, {@code trailbook_streams_refused_total},
 *       {@code trailbook_streams_slow_disconnects_total}: live streams.
 *   <li>{@code trailbook_export_jobs_running}, {@code trailbook_export_jobs_queued}, {@code trailbook_export_jobs_done_total},
 *       {@code trailbook_export_jobs_failed_total}, {@code trailbook_export_downloads_total}: exports.
 *   <li>{@code trailbook_part_failures_total{part}} and {@code trailbook_part_up{part}}: each background part.
 * </ul>
 */
final class StateMetrics {
  private StateMetrics() {}

  static void bind(MeterRegistry registry, SearchIndex index, StreamHub streams, Exports exports, Liveness liveness) {
    Gauge.builder("trailbook.search.index.lag", index, SearchIndex::lag).strongReference(true).baseUnit("entries")
        .description("Entries in the journal that search does not show yet (all workspaces together)").register(registry);
    Gauge.builder("trailbook.search.merges.running", index, SearchIndex::mergesRunning).strongReference(true)
        .description("Merges of the search index's segments running now (the large ones at a lower CPU priority)").register(registry);
    Gauge.builder("trailbook.search.purge.merge.pending", index, i -> i.purgeMergePending() ? 1 : 0).strongReference(true)
        .description("1 while the documents of purged entries wait for the merge that gives their space back").register(registry);

    Gauge.builder("trailbook.streams.open", streams, StreamHub::active).strongReference(true)
        .description("Live streams (GET /v1/events/stream) open now").register(registry);
    FunctionCounter.builder("trailbook.streams.opened", streams, StreamHub::openedTotal)
        .description("Live streams opened since the server started").register(registry);
    FunctionCounter.builder("trailbook.streams.refused", streams, StreamHub::refusedTotal)
        .description("Live streams refused for the per-key, per-workspace or per-node caps").register(registry);
    FunctionCounter.builder("trailbook.streams.slow.disconnects", streams, StreamHub::slowDisconnects)
        .description("Live streams cut off because their client did not keep up").register(registry);

    Gauge.builder("trailbook.export.jobs.running", exports, Exports::runningJobs).strongReference(true)
        .description("Export jobs running now").register(registry);
    Gauge.builder("trailbook.export.jobs.queued", exports, Exports::queuedJobs).strongReference(true)
        .description("Export jobs waiting for a worker").register(registry);
    FunctionCounter.builder("trailbook.export.jobs.done", exports, Exports::jobsDoneTotal)
        .description("Export jobs finished since the server started").register(registry);
    FunctionCounter.builder("trailbook.export.jobs.failed", exports, Exports::jobsFailedTotal)
        .description("Export jobs failed since the server started").register(registry);
    FunctionCounter.builder("trailbook.export.downloads", exports, Exports::downloadsTotal)
        .description("Direct export downloads since the server started").register(registry);

    for (PartHealth part : liveness.parts()) {
      // every failure, retried ones included (a supervised part backs off and tries again)
      FunctionCounter.builder("trailbook.part.failures", part, p -> Math.max(p.failures(), p.failure() == null ? 0 : 1)).tag("part", part.part())
          .description("Failures of a background part since start (journal writer, tree appender, indexer, refresher, signer, scrubber, stream dispatcher, export runner and cleaner)").register(registry);
      Gauge.builder("trailbook.part.up", liveness, l -> up(l, part.part())).strongReference(true).tag("part", part.part())
          .description("1 while a background part works, 0 when it failed, died or stalled (as /healthz and /readyz see it)").register(registry);
    }
  }

  private static double up(Liveness liveness, String part) {
    for (Liveness.Problem p : liveness.problems()) if (p.part().equals(part)) return 0;
    return 1;
  }
}
