package org.trailbook.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.trailbook.export.Exports;
import org.trailbook.health.Liveness;
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.journal.EventStore;
import org.trailbook.search.SearchIndex;
import org.trailbook.stream.StreamHub;

/**
 * The server's Prometheus metrics, served as text by {@code GET /metrics}: one {@link PrometheusMeterRegistry} per
 * server (so several servers in one JVM, as in the tests, never share counters), Micrometer's JVM and process
 * binders ({@link JvmMetrics}), and Trailbook's own meters, all named {@code trailbook_*}, each area bound by a small class:
 * {@link HttpMetrics} and {@link IngestMetrics} (recorded per request by the HTTP layer), {@link JournalMetrics}
 * (per group commit), {@link IntegrityMetrics} and {@link StateMetrics} (read from the parts at each scrape).
 *
 * <p>{@code /metrics} is open like {@code /healthz}, so every label is bounded and holds no tenant data: route
 * templates ({@code /v1/events/{id}}, never a raw path), methods from a fixed list, status codes, part names and
 * fixed reason words; never a workspace, an id, a key or a query.
 */
public final class Metrics implements AutoCloseable {
  /** The Prometheus text format, version 0.0.4, which every Prometheus and {@code promtool} reads. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmMetrics jvm;
  private final HttpMetrics http;
  private final IngestMetrics ingest;

  /** A registry with the JVM and process metrics and the HTTP and ingest meters; bind the parts with {@link #bind}. */
  public Metrics() {
    this.jvm = new JvmMetrics(registry);
    this.http = new HttpMetrics(registry);
    this.ingest = new IngestMetrics(registry);
  }

  /** Binds the meters of the server's parts: the journal's group commits, checkpoints, the index, streams, exports, part health. */
  public void bind(EventStore journal, LogIntegrity integrity, SearchIndex index, StreamHub streams, Exports exports, Liveness liveness) {
    JournalMetrics.bind(registry, journal);
    IntegrityMetrics.bind(registry, integrity);
    StateMetrics.bind(registry, index, streams, exports, liveness);
  }

  /** Binds the retention purger's meters ({@link RetentionMetrics}). */
  public void bindRetention(org.trailbook.retention.Purger purger) {
    RetentionMetrics.bind(registry, purger);
  }

  /** What the HTTP layer records for every answered request. */
  public HttpMetrics http() {
    return http;
  }

  /** What the ingest route records for every acknowledged batch. */
  public IngestMetrics ingest() {
    return ingest;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Every metric now, in the Prometheus text format ({@link #CONTENT_TYPE}). */
  public String scrape() {
    return registry.scrape();
  }

  /** Stops listening to garbage collections and closes the registry. */
  @Override
  public void close() {
    jvm.close();
    registry.close();
  }
}
