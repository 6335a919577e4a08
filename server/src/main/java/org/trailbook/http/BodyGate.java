package org.trailbook.http;

import io.javalin.http.Context;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gate for every request body: a servlet filter in front of Javalin that hands each request a
 * {@link GatedBody} in place of its input stream, so whichever route reads a body, and however it
 * reads it, the body is admitted against the {@link BodyBudget} first, and the reservation is given
 * back when the request is over: after the handler, its exception mapping and the response, on
 * every path (errors, timeouts, clients that went away).
 *
 * <p>Routes say nothing to read a small JSON body; the one route that takes large bodies (ingest)
 * marks the request with {@link #allowBulk} before reading. A body that failed on the client's side
 * (too slow, cut short) is logged here in one line, never as a server error.
 */
final class BodyGate implements Filter {
  private static final Logger log = LoggerFactory.getLogger(BodyGate.class);
  /** The request attribute where {@link Authenticator} leaves the caller it established. */
  static final String CREDENTIAL = "trailbook.credential";
  /** The request attribute that lets a route read a body up to the ingest limit. */
  static final String BULK = "trailbook.body.bulk";

  private final BodyBudget budget;
  private final BodyConfig config;
  private final long maxBulkBytes;
  private final java.util.function.LongSupplier nanoClock;
  private final BodyWatchdog watchdog = new BodyWatchdog(java.time.Duration.ofSeconds(1));

  BodyGate(BodyConfig config, long maxBulkBytes, long budgetBytes) {
    this(config, maxBulkBytes, budgetBytes, System::nanoTime);
  }

  /** With a given clock for the data-rate check: for tests. */
  BodyGate(BodyConfig config, long maxBulkBytes, long budgetBytes, java.util.function.LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.config = config;
    this.maxBulkBytes = maxBulkBytes;
    this.budget = new BodyBudget(budgetBytes, maxBulkBytes, config.sharePercent());
  }

  /** The request attribute holding this request's {@link GatedBody}, so Javalin's after-handler can release it. */
  static final String GATED = "trailbook.body.gated";

  /**
   * Gives the body's reservation back as soon as the handler is done, before the response is
   * written: a client that has read its answer may count on its share being free again. The
   * filter releases again at the very end (harmless), for paths that skip after-handlers.
   */
  static void releaseEarly(Context ctx) {
    if (ctx.req().getAttribute(GATED) instanceof GatedBody body) body.release();
  }

  /** Lets this request's body be as large as the ingest limit instead of the control-body limit. */
  static void allowBulk(Context ctx) {
    ctx.req().setAttribute(BULK, Boolean.TRUE);
  }

  BodyBudget budget() {
    return budget;
  }

  BodyConfig config() {
    return config;
  }

  long maxBulkBytes() {
    return maxBulkBytes;
  }

  BodyWatchdog watchdog() {
    return watchdog;
  }

  /** Stops the watchdog's timer (the server stops). */
  @Override
  public void destroy() {
    watchdog.close();
  }

  long nanoTime() {
    return nanoClock.getAsLong();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) req;
    GatedBody body = new GatedBody(http, this);
    HttpServletRequest gated = new HttpServletRequestWrapper(http) {
      @Override
      public ServletInputStream getInputStream() {
        return body;
      }

      @Override
      public BufferedReader getReader() {
        String enc = getCharacterEncoding();
        return new BufferedReader(new InputStreamReader(body, enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc)));
      }
    };
    http.setAttribute(GATED, body);
    boolean async = false;
    try {
      chain.doFilter(gated, res);
      async = gated.isAsyncStarted();
      if (async) gated.getAsyncContext().addListener(new Done(() -> finish(http, body)));
    } finally {
      if (!async) finish(http, body);
    }
  }

  private void finish(HttpServletRequest http, GatedBody body) {
    body.release();
    RequestBodyException f = body.failure;
    // one line, no stack trace: a slow or vanished client is the client's problem, not the server's
    if (f != null) log.info("{} {}: {} ({})", http.getMethod(), http.getRequestURI(), f.getMessage(), f.kind.code);
  }

  /** Releases when an asynchronous request completes, whichever way. */
  private record Done(Runnable then) implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      then.run();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      then.run();
    }

    @Override
    public void onError(AsyncEvent event) {
      then.run();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }
}
