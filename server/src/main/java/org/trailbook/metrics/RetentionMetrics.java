package org.trailbook.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.trailbook.retention.Purger;

/**
 * The retention purger of this node, read at each scrape:
 *
 * <ul>
 *   <li>{@code trailbook_retention_purged_entries_total}: entries purged by this node's passes since it started.
 *   <li>{@code trailbook_retention_purges_total}: passes that purged something.
 *   <li>{@code trailbook_retention_last_purge_timestamp_seconds}: when this node's last purge committed ({@code NaN}
 *       before the first); with several nodes, the one holding the purger lease purges.
 * </ul>
 */
final class RetentionMetrics {
  private RetentionMetrics() {}

  static void bind(MeterRegistry registry, Purger purger) {
    FunctionCounter.builder("trailbook.retention.purged.entries", purger, Purger::purgedEntries)
        .description("Entries removed by this node's retention purges since it started").register(registry);
    FunctionCounter.builder("trailbook.retention.purges", purger, Purger::purges)
        .description("Retention purge passes of this node that removed something").register(registry);
    Gauge.builder("trailbook.retention.last.purge.timestamp", purger, p -> p.lastPurge() == null ? Double.NaN : p.lastPurge().toEpochMilli() / 1000.0)
        .strongReference(true).baseUnit("seconds").description("When this node's last retention purge committed (NaN before the first)")
        .register(registry);
  }
}
