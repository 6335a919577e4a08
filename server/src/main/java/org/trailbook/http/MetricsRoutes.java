package org.trailbook.http;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.trailbook.metrics.Metrics;

/**
 * {@code GET /metrics} (Prometheus text format, open like {@code /healthz}: its labels hold no tenant data, see
 * {@link Metrics}) and the after-handler that records every answered request in {@link Metrics#http()}.
 *
 * <p>The after-handler runs once per request, after the handler, the exception mapping and the error pages, so the
 * status it reads is the one sent. The route label is the template of the endpoint Javalin matched (its
 * {@code {param}} form), never the raw path; a request no endpoint matched is {@code unmatched}.
 */
final class MetricsRoutes {
  private final Metrics metrics;

  MetricsRoutes(Metrics metrics) {
    this.metrics = metrics;
  }

  void register(ApiRoutes r) {
    r.get("/metrics", ctx -> ctx.contentType(Metrics.CONTENT_TYPE).result(metrics.scrape()));
  }

  /** Records one answered request: latency by route and method, status, 429 reason. */
  void after(Context ctx) {
    Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
    metrics.http().answered(ctx.req().getMethod(), matched == null ? null : matched.path, ctx.statusCode(),
        System.nanoTime() - beginNanos(ctx), ctx.attribute(ErrorResponses.CODE));
  }

  /**
   * When the server began this request (its {@link System#nanoTime()}): Jetty's own mark, taken when it started
   * reading the request, so the time spent before any handler (the body gate, routing) counts too.
   */
  static long beginNanos(Context ctx) {
    ServletContextRequest r = ServletContextRequest.getServletContextRequest(ctx.req());
    return r == null ? System.nanoTime() : r.getBeginNanoTime(); // never null behind Jetty; a metric must not fail a request
  }
}
