package org.trailbook.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Every answered HTTP request: its latency by route template and method, its status code, and the requests refused
 * with 429. Recorded once per request by the HTTP layer, after the handler, its error mapping and the error pages.
 *
 * <ul>
 *   <li>{@code trailbook_http_request_duration_seconds{method,route}}: from the moment the server began reading the
 *       request to the moment its answer was decided (for a live stream: how long it was open).
 *   <li>{@code trailbook_http_responses_total{method,route,status}}: answers by status code, so 4xx and 5xx by code.
 *   <li>{@code trailbook_http_rate_limited_total{reason}}: 429s: {@code rate_limited} (requests per second per key),
 *       {@code too_many_streams}, {@code too_many_exports}.
 * </ul>
 *
 * <p>Labels stay bounded whatever a client sends: {@code route} is a template the server registered (or
 * {@value #UNMATCHED}), {@code method} one of a fixed list (else {@code other}), {@code status} a number from 100
 * to 599 (else {@code other}), {@code reason} a fixed word. The meters are looked up once per route and then kept,
 * so a request costs no registry lookup.
 */
public final class HttpMetrics {
  /** The route label of a request no route matched (404 and 405): never the raw path, which a client chooses. */
  public static final String UNMATCHED = "unmatched";
  private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "other");
  private static final Set<String> RATE_LIMIT_REASONS = Set.of("rate_limited", "too_many_streams", "too_many_exports");

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> rateLimited = new ConcurrentHashMap<>();

  HttpMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * One answered request.
   *
   * @param method the request's method as sent (normalised here to a fixed list)
   * @param route the matched route's template, or null when no route matched
   * @param status the answer's status code
   * @param nanos how long the request took
   * @param errorCode the error body's {@code code}, or null: names the reason of a 429
   */
  public void answered(String method, String route, int status, long nanos, String errorCode) {
    int m = methodIndex(method);
    String name = route == null ? UNMATCHED : route;
    // get before computeIfAbsent: once a series exists, recording takes no lock (computeIfAbsent may lock its bin)
    Route r = routes.get(name);
    if (r == null) r = routes.computeIfAbsent(name, Route::new);
    r.timer(m).record(nanos, TimeUnit.NANOSECONDS);
    r.responses(m, status).increment();
    if (status == 429) {
      String reason = errorCode != null && RATE_LIMIT_REASONS.contains(errorCode) ? errorCode : "other";
      Counter c = rateLimited.get(reason);
      if (c == null) c = rateLimited.computeIfAbsent(reason, this::rateLimitedCounter);
      c.increment();
    }
  }

  private static int methodIndex(String method) {
    int i = METHODS.indexOf(method);
    return i < 0 ? METHODS.size() - 1 : i;
  }

  private Counter responses(String route, String method, String status) {
    return Counter.builder("trailbook.http.responses").description("HTTP answers by route template, method and status code")
        .tag("route", route).tag("method", method).tag("status", status).register(registry);
  }

  private Counter rateLimitedCounter(String reason) {
    return Counter.builder("trailbook.http.rate.limited")
        .description("Requests refused with 429: rate_limited (requests per second per key), too_many_streams, too_many_exports")
        .tag("reason", reason).register(registry);
  }

  /** The meters of one route template, made on its first request. */
  private final class Route {
    final String name;
    final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(METHODS.size());
    final ConcurrentHashMap<Integer, Counter> responses = new ConcurrentHashMap<>();

    Route(String name) {
      this.name = name;
    }

    Counter responses(int method, int status) {
      int code = status >= 100 && status <= 599 ? status : 0; // Jetty sends no other; kept bounded regardless
      Integer key = method * 1000 + code;
      Counter c = responses.get(key);
      if (c == null) {
        c = responses.computeIfAbsent(key, k -> HttpMetrics.this.responses(name, METHODS.get(method), code == 0 ? "other" : Integer.toString(code)));
      }
      return c;
    }

    Timer timer(int method) {
      Timer t = timers.get(method);
      if (t == null) {
        // registering twice yields the same meter, so a race here is harmless
        t = Timer.builder("trailbook.http.request.duration").description("HTTP request latency by route template and method")
            .tag("route", name).tag("method", METHODS.get(method)).serviceLevelObjectives(Buckets.REQUEST).register(registry);
        timers.set(method, t);
      }
      return t;
    }
  }
}
