package org.trailbook.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Acknowledged ingest batches ({@code POST /v1/events} answered 201), recorded once per request, never per event:
 *
 * <ul>
 *   <li>{@code trailbook_ingest_requests_total}: batches acknowledged.
 *   <li>{@code trailbook_ingest_events_total}: events in them, stored or recognised as duplicates.
 *   <li>{@code trailbook_ingest_bytes_total}: their request bodies' bytes.
 *   <li>{@code trailbook_ingest_ack_duration_seconds}: from the moment the server began reading the request to the
 *       201, after the fsync of its group: what a client waits for durability.
 * </ul>
 */
public final class IngestMetrics {
  private final Counter requests;
  private final Counter events;
  private final Counter bytes;
  private final Timer ack;

  IngestMetrics(MeterRegistry registry) {
    this.requests = Counter.builder("trailbook.ingest.requests").description("Ingest requests acknowledged with 201").register(registry);
    this.events = Counter.builder("trailbook.ingest.events")
        .description("Events acknowledged with 201 (stored, or recognised as duplicates of stored ones)").register(registry);
    this.bytes = Counter.builder("trailbook.ingest.bytes").baseUnit("bytes")
        .description("Request body bytes of acknowledged ingest requests").register(registry);
    this.ack = Timer.builder("trailbook.ingest.ack.duration")
        .description("Time from the start of an ingest request to its 201, after its group's fsync")
        .serviceLevelObjectives(Buckets.ACK).register(registry);
  }

  /** One batch acknowledged: {@code events} events in {@code bodyBytes} bytes, {@code nanos} after the request began. */
  public void acknowledged(int events, long bodyBytes, long nanos) {
    requests.increment();
    this.events.increment(events);
    bytes.increment(bodyBytes);
    ack.record(nanos, TimeUnit.NANOSECONDS);
  }
}
