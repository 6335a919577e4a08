package org.trailbook.http;

import io.javalin.http.Context;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is well-formed, else a new one. The first
 * servlet filter, so the id is in the {@code X-Request-Id} response header of every answer Javalin gives (errors,
 * unknown routes, a 413 or 401 before the body is read, the live stream), in the JSON error body, and in the SLF4J MDC
 * ({@code request_id}) of the thread that handles the request for as long as it does, so every log line written meanwhile
 * carries it. Answers Jetty gives before any servlet runs (a malformed request, headers too large) have none.
 */
final class RequestIds implements Filter {
  static final String HEADER = "X-Request-Id";
  /** The MDC key; also the field name in JSON log lines and error bodies. */
  static final String MDC_KEY = "request_id";
  private static final String ATTRIBUTE = "trailbook.request_id";
  /** A UUID is 36 characters, a W3C traceparent 55: longer ids are replaced (the answer's header says by what). */
  static final int MAX_LENGTH = 64;

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    String id = accepted(((HttpServletRequest) req).getHeader(HEADER));
    if (id == null) id = generate();
    req.setAttribute(ATTRIBUTE, id);
    ((HttpServletResponse) res).setHeader(HEADER, id);
    // requests run on their own (virtual) thread from here to the end of the chain, the body gate's log line included:
    // put and remove on this thread, and remove whatever happened, so no id outlives its request
    MDC.put(MDC_KEY, id);
    try {
      chain.doFilter(req, res);
    } finally {
      MDC.remove(MDC_KEY);
    }
  }

  /** This request's id, or null outside the filter (never for a request that went through it). */
  static String of(Context ctx) {
    return ctx.req().getAttribute(ATTRIBUTE) instanceof String id ? id : null;
  }

  /**
   * The caller's id if it is 1 to {@value #MAX_LENGTH} characters of letters, digits and {@code - _ . :}, else null: an
   * id goes into log lines, JSON and headers as it is, so nothing that could break out of them (quotes, backslashes,
   * spaces, control characters, non-ASCII) is ever taken, and a rejected header is never logged.
   */
  static String accepted(String header) {
    if (header == null || header.isEmpty() || header.length() > MAX_LENGTH) return null;
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ':';
      if (!ok) return null;
    }
    return header;
  }

  /** 16 hex digits of a thread-local random: unique enough to find a request in the logs, and costs no lock. */
  static String generate() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }
}
