package org.trailbook.http;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.trailbook.access.AccessStore;
import org.trailbook.ingest.IngestService;
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.journal.EventStore;
import org.trailbook.ui.UiConfig;
import org.trailbook.ui.ViewerTokens;
import org.trailbook.views.ViewStore;
import org.trailbook.search.EventSearch;

/** Builds the Javalin application: every route, the error mapping, and the OpenAPI document. */
public final class HttpApi {
  private static final long SHUTDOWN_IDLE_MILLIS = 3_000;
  private final Javalin app;
  private final List<ApiRoutes.Route> routes;
  private final BodyGate bodies;

  /** What the HTTP layer needs from the rest of the server. */
  public record Parts(AccessStore access, EventStore store, IngestService ingest, long maxBodyBytes, long maxInflightBytes, int rateLimitPerSecond,
      org.trailbook.health.Liveness liveness, LogIntegrity integrity, EventSearch search, java.time.Clock clock,
      org.trailbook.stream.StreamHub streams, org.trailbook.export.Exports exports, BodyConfig bodies,
      java.time.Duration drainTimeout, org.trailbook.health.DiskSpace disk, org.trailbook.retention.Retention retention,
      java.util.Optional<org.trailbook.archive.Archives> archives, org.trailbook.retention.Purger purger) {}

  private volatile String host = "0.0.0.0";
  private volatile int port = 8080;

  /** What the web page needs: viewer tokens, page sessions (and used token ids), saved views, its settings. */
  public record UiParts(ViewerTokens viewerTokens, org.trailbook.ui.SessionStore sessions, ViewStore views, UiConfig config) {}

  /** With {@code metrics} recording every request and served at {@code GET /metrics}. */
  public HttpApi(Parts parts, UiParts ui, org.trailbook.metrics.Metrics metrics) {
    Authenticator auth = new Authenticator(parts.access(), new RateLimiter(parts.rateLimitPerSecond(), System::nanoTime), ui.viewerTokens(), ui.sessions());
    byte[] openapi = resource("/openapi.json");
    AtomicReference<List<ApiRoutes.Route>> registered = new AtomicReference<>();
    // every request body, on every route, is admitted and read through this gate
    this.bodies = new BodyGate(parts.bodies(), parts.maxBodyBytes(), parts.maxInflightBytes());
    this.app = Javalin.create(config -> {
      config.concurrency.useVirtualThreads = true;
      config.startup.showJavalinBanner = false;
      config.http.maxRequestSize = parts.maxBodyBytes();
      config.http.prefer405over404 = true;
      // our own connector: a deep accept queue, so bursts of new connections wait instead of
      // being reset (the JDK's default backlog is 50)
      config.jetty.addConnector((server, httpConfig) -> {
        org.eclipse.jetty.server.ServerConnector c =
            new org.eclipse.jetty.server.ServerConnector(server, new org.eclipse.jetty.server.HttpConnectionFactory(httpConfig));
        c.setAcceptQueueSize(4096);
        // a silent connection, also one in the middle of a body, is closed after this (GatedBody answers 408)
        c.setIdleTimeout(parts.bodies().idleTimeout().toMillis());
        // while draining, Jetty closes connections that are silent this long: idle keep-alive ones (they would
        // hold the stop) and uploads that stall. Jetty's 1 s would cut an upload at its first short pause; 3 s
        // lets a live upload finish and still ends a stop soon after the last answer
        c.setShutdownIdleTimeout(Math.min(parts.drainTimeout().toMillis(), SHUTDOWN_IDLE_MILLIS));
        c.setHost(host);
        c.setPort(port);
        return c;
      });
      // a stop (SIGTERM) drains: connectors stop accepting, requests in flight may finish for up to the
      // drain timeout (the graceful handler counts them), then whatever is left is cut
      config.jetty.modifyServer(server -> {
        server.setStopTimeout(parts.drainTimeout().toMillis());
        server.setHandler(new org.eclipse.jetty.server.handler.GracefulHandler());
      });
      // before routing: the router would otherwise honour X-HTTP-Method-Override
      config.routes.before(MethodOverrideGuard::check);
      // first the request id (so the body gate's own log line carries it), then the body gate
      config.jetty.modifyServletContextHandler(h -> {
        h.addFilter(new org.eclipse.jetty.ee10.servlet.FilterHolder(new RequestIds()), "/*", java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
        h.addFilter(new org.eclipse.jetty.ee10.servlet.FilterHolder(bodies), "/*", java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
      });
      // every answer — /v1, /healthz, /openapi.json, errors and unknown routes included — is never sniffed as another
      // content type and never stored by a browser or proxy (it may hold audit data); set before any handler runs, so
      // an exception or a committed stream keeps them. A route may replace Cache-Control: the live stream says
      // "no-cache, no-store", the page's static assets "no-cache" (UiRoutes).
      config.routes.before(ctx -> {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", "no-store");
      });
      ApiRoutes r = new ApiRoutes(config.routes);
      new HealthRoutes(parts.liveness(), parts.integrity(), parts.search().index(), parts.streams(), parts.exports(), parts.disk()).register(r);
      MetricsRoutes metricsRoutes = new MetricsRoutes(metrics);
      metricsRoutes.register(r);
      r.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openapi));
      // before /v1/events/{id} and /v1/exports/{id}: the first matching route wins
      new StreamRoutes(auth, parts.streams(), parts.clock()).register(r);
      new ExportRoutes(auth, parts.exports()).register(r);
      new EventRoutes(auth, parts.ingest(), parts.store(), metrics.ingest()).register(r);
      new SearchRoutes(auth, parts.search(), parts.clock()).register(r);
      new AdminRoutes(auth, parts.access(), parts.ingest()).register(r);
      new LogRoutes(auth, parts.integrity(), parts.store()).register(r);
      new PurgeRoutes(auth, parts.access(), parts.purger()).register(r);
      new UiRoutes(auth, ui.viewerTokens(), ui.sessions(), parts.ingest(), ui.config(), registered::get).register(r);
      new SessionRoutes(auth, ui.sessions(), parts.access(), parts.ingest()).register(r);
      new ViewRoutes(auth, ui.views()).register(r);
      new RetentionRoutes(auth, parts.access(), parts.retention(), parts.store(), parts.ingest()).register(r);
      new HoldRoutes(auth, parts.access(), parts.retention(), parts.ingest()).register(r);
      new ArchiveRoutes(auth, parts.archives(), parts.ingest()).register(r);
      config.routes.after(BodyGate::releaseEarly);
      config.routes.after(metricsRoutes::after);
      ErrorResponses errors = new ErrorResponses(parts.maxBodyBytes());
      config.routes.exception(Exception.class, errors::handle);
      config.routes.exception(io.javalin.http.HttpResponseException.class, errors::handle);
      config.routes.error(404, "*", ctx -> {
        // our own 404s are JSON already; only Javalin's "no such route" needs the error shape
        if (!"application/json".equals(ctx.res().getContentType())) {
          ErrorResponses.send(ctx, 404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path(), List.of());
        }
      });
      config.routes.error(405, "*", ctx -> ErrorResponses.send(ctx, 405, "method_not_allowed", "method " + ctx.method() + " is not allowed on " + ctx.path(), List.of()));
      registered.set(r.registered());
    });
    this.routes = registered.get();
  }

  public HttpApi start(String host, int port) {
    this.host = host;
    this.port = port;
    try {
      app.start();
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof java.net.BindException) {
          throw new org.trailbook.TrailbookException("cannot listen on " + host + ":" + port + ": " + t.getMessage()
              + " (another process holds the port: stop it, or choose another port with --port or TRAILBOOK_PORT)");
        }
      }
      throw e;
    }
    return this;
  }

  public int port() {
    return app.port();
  }

  public void stop() {
    app.stop();
    bodies.destroy(); // its watchdog's timer (also when Jetty did not destroy the filter)
  }

  /** Every route the server serves, for checking the OpenAPI document. */
  public List<ApiRoutes.Route> routes() {
    return routes;
  }

  private static byte[] resource(String name) {
    try (InputStream in = HttpApi.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException(name + " is missing from the jar");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
