package org.trailbook.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Whatever a client sends, the HTTP labels stay within fixed sets: an open endpoint must not grow without bound. */
class HttpMetricsTest {
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final HttpMetrics http = new HttpMetrics(registry);

  private double responses(String method, String route, String status) {
    Counter c = registry.find("trailbook.http.responses").tags("method", method, "route", route, "status", status).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void unknownMethodsRoutesAndStatusesShareOneSeriesEach() {
    for (int i = 0; i < 50; i++) http.answered("BREW" + i, null, 404, 1_000, null);
    http.answered("GET", null, 999, 1_000, null);
    assertThat(responses("other", "unmatched", "404")).isEqualTo(50);
    assertThat(responses("GET", "unmatched", "other")).isEqualTo(1);
    Set<String> methods = registry.find("trailbook.http.responses").meters().stream().map(m -> m.getId().getTag("method")).collect(Collectors.toSet());
    assertThat(methods).containsExactlyInAnyOrder("other", "GET");
    assertThat(registry.find("trailbook.http.request.duration").timers()).hasSize(2);
  }

  @Test
  void theReasonOf429IsAFixedWord() {
    http.answered("POST", "/v1/events", 429, 1_000, "rate_limited");
    http.answered("GET", "/v1/exports/download", 429, 1_000, "too_many_exports");
    http.answered("GET", "/v1/events/stream", 429, 1_000, "a code no route sends");
    http.answered("GET", "/v1/events/stream", 429, 1_000, null);
    http.answered("GET", "/v1/events", 400, 1_000, "invalid_query"); // not a 429: not counted as rate limited
    Set<String> reasons = registry.find("trailbook.http.rate.limited").meters().stream().map(m -> m.getId().getTag("reason")).collect(Collectors.toSet());
    assertThat(reasons).containsExactlyInAnyOrder("rate_limited", "too_many_exports", "other");
    assertThat(registry.find("trailbook.http.rate.limited").tag("reason", "other").counter().count()).isEqualTo(2);
    assertThat(registry.find("trailbook.http.rate.limited").meters().stream().map(Meter::getId).count()).isEqualTo(3);
  }

  @Test
  void latencyIsRecordedPerRouteAndMethodInTheConfiguredBuckets() {
    http.answered("GET", "/v1/events/{id}", 200, 3_000_000, null); // 3 ms
    var timer = registry.find("trailbook.http.request.duration").tags("route", "/v1/events/{id}", "method", "GET").timer();
    assertThat(timer).isNotNull();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.takeSnapshot().histogramCounts()).hasSize(Buckets.REQUEST.length);
  }
}
