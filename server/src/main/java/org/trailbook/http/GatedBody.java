package org.trailbook.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.trailbook.Problem;
import org.trailbook.TooLargeException;
import org.trailbook.access.AccessDeniedException;
import org.trailbook.access.Credential;

/**
 * The only way to a request's body (every route reads through it, whatever Javalin call it uses).
 * Before the first byte is read it admits the body: the caller must be authenticated (else 401,
 * nothing read), a declared length over the route's limit is a 413 naming the limit (nothing read),
 * and the length is reserved from the {@link BodyBudget} under the caller's workspace (503 when the
 * share or the budget is spent). While reading it enforces the limit on bodies of undeclared length,
 * the minimum data rate after the grace (408), and turns Jetty's read failures into client errors:
 * a silent client (idle timeout) is a 408, a client that went away is a 400 logged in one line.
 */
final class GatedBody extends ServletInputStream {
  private static final long WATCHDOG_MARGIN_NANOS = 2_000_000_000L;
  /** Opened only once the body is admitted: opening it answers a client's {@code Expect: 100-continue}. */
  private ServletInputStream in;
  private final HttpServletRequest request;
  private final BodyGate gate;
  private BodyBudget.Reservation reservation;
  private long limit;
  /** Read by the {@link BodyWatchdog} while this request's thread reads. */
  private volatile long count;
  private volatile long startNanos;
  private volatile long lastProgressNanos;
  private boolean eof;
  /** The client-side failure that ended the body, if any, for the one log line at the end of the request. */
  volatile RequestBodyException failure;

  GatedBody(HttpServletRequest request, BodyGate gate) {
    this.request = request;
    this.gate = gate;
  }

  /** Whether the request carries a body at all: a length above 0, or chunked. */
  static boolean hasBody(HttpServletRequest request) {
    return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
  }

  private void admit() {
    if (reservation != null) return;
    Credential c = request.getAttribute(BodyGate.CREDENTIAL) instanceof Credential cred ? cred : null;
    if (c == null) {
      // fail closed: a route that forgot to authenticate still never reads an anonymous body
      throw AccessDeniedException.unauthenticated("a request body is read only from an authenticated caller: send 'Authorization: Bearer <key>'");
    }
    boolean bulk = Boolean.TRUE.equals(request.getAttribute(BodyGate.BULK));
    limit = bulk ? gate.maxBulkBytes() : gate.config().maxControlBodyBytes();
    long declared = request.getContentLengthLong();
    if (declared > limit) throw tooLarge("declares " + declared + " bytes");
    String holder = c.platformAdmin() ? "platform admin" : c.workspace();
    String who = c.platformAdmin() ? "the platform admin key" : "workspace '" + c.workspace() + "'";
    reservation = gate.budget().reserve(holder, who, declared < 0 ? limit : declared);
    startNanos = lastProgressNanos = gate.nanoTime();
    try {
      in = request.getInputStream(); // only now: a client that sent Expect: 100-continue may start sending
    } catch (IOException e) {
      reservation.close();
      throw new java.io.UncheckedIOException(e);
    }
    gate.watchdog().watch(this);
  }

  private TooLargeException tooLarge(String what) {
    String route = request.getMethod() + " " + request.getRequestURI();
    return new TooLargeException("body_too_large", "the request body " + what + "; the limit for " + route + " is " + limit + " bytes",
        limit, List.of(Problem.of("body", "must be at most " + limit + " bytes")));
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (eof || !hasBody(request)) return -1;
    admit();
    int n;
    try {
      n = in.read(b, off, (int) Math.min(len, limit - count + 1));
    } catch (IOException | RuntimeException e) {
      throw translate(e);
    }
    if (n < 0) {
      eof = true;
      return n;
    }
    count += n;
    lastProgressNanos = gate.nanoTime();
    if (count > limit) throw tooLarge("is larger");
    checkRate();
    return n;
  }

  /**
   * The watchdog's check while a read may be blocked: too slow for the minimum rate, or no body byte for the
   * idle timeout, ends the connection (its blocked read then fails, and the request ends with this failure).
   */
  void enforce() {
    if (reservation == null || eof || failure != null) return;
    long now = gate.nanoTime();
    // a margin behind the in-band checks: a read that returns, or Jetty's idle timeout, answers 408 properly;
    // the watchdog only ends what those cannot see (a connection kept busy without body bytes)
    String why = slowness(now - WATCHDOG_MARGIN_NANOS);
    long silentMs = (now - lastProgressNanos) / 1_000_000;
    if (why == null && silentMs > gate.config().idleTimeout().toMillis() + WATCHDOG_MARGIN_NANOS / 1_000_000) {
      why = "no part of the request body arrived for " + silentMs + " ms (the idle timeout is " + gate.config().idleTimeout().toMillis()
          + " ms); " + count + " bytes had arrived";
    }
    if (why == null) return;
    fail(RequestBodyException.Kind.TIMEOUT, why);
    org.eclipse.jetty.ee10.servlet.ServletContextRequest r = org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(request);
    if (r != null) r.getServletChannel().getEndPoint().close(new TimeoutException(why));
  }

  /** By {@code grace + t} after the first read, at least {@code rate × t} bytes must have arrived. */
  private void checkRate() {
    String why = slowness(gate.nanoTime());
    if (why != null) throw fail(RequestBodyException.Kind.TIMEOUT, why);
  }

  private String slowness(long now) {
    long rate = gate.config().minRateBytesPerSecond();
    if (rate == 0) return null;
    long elapsedMs = (now - startNanos) / 1_000_000;
    long owedMs = elapsedMs - gate.config().rateGrace().toMillis();
    if (owedMs > 0 && count < rate * owedMs / 1000) {
      return "the request body arrived too slowly: " + count + " bytes in " + elapsedMs
          + " ms, below the minimum of " + rate + " bytes per second after a grace of " + gate.config().rateGrace().toMillis() + " ms";
    }
    return null;
  }

  private RuntimeException translate(Exception e) {
    if (failure != null) return failure; // the watchdog cut the connection, and said why
    if (e instanceof HttpException he && he.getCode() == 408 || causedBy(e, TimeoutException.class)) {
      return fail(RequestBodyException.Kind.TIMEOUT, "no part of the request body arrived for " + gate.config().idleTimeout().toMillis()
          + " ms (the idle timeout); " + count + " bytes had arrived");
    }
    if (e instanceof HttpException he && he.getCode() == 413) return tooLarge("is larger");
    if (e instanceof RuntimeException re && !(e instanceof HttpException)) return re;
    HttpException framing = cause(e, HttpException.class);
    if (framing != null && cause(e, org.eclipse.jetty.io.EofException.class) == null) {
      // Jetty could not parse the body's framing (a bad chunk size, …): the client's mistake, not a hang-up
      return new org.trailbook.InvalidInputException("malformed_body", "the request body is malformed: " + framing.getReason());
    }
    return fail(RequestBodyException.Kind.INCOMPLETE, "the connection ended before the request body was complete; " + count + " bytes had arrived");
  }

  private RequestBodyException fail(RequestBodyException.Kind kind, String message) {
    RequestBodyException f = new RequestBodyException(kind, message);
    failure = f;
    return f;
  }

  private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
    return cause(t, type) != null;
  }

  private static <T> T cause(Throwable t, Class<T> type) {
    for (int i = 0; t != null && i < 10; t = t.getCause(), i++) if (type.isInstance(t)) return type.cast(t);
    return null;
  }

  /**
   * The whole body, admitted first; a declared length is read into one array of exactly that size
   * (what the budget reserved), rather than a growing buffer that briefly holds two or three times it.
   */
  byte[] readFully() throws IOException {
    if (!hasBody(request)) return new byte[0];
    admit();
    long declared = request.getContentLengthLong();
    if (declared < 0) return readAllBytes();
    byte[] b = new byte[(int) declared];
    int n = readNBytes(b, 0, b.length);
    if (n < b.length) throw fail(RequestBodyException.Kind.INCOMPLETE, "the request body ended after " + n + " of its " + declared + " bytes");
    return b;
  }

  /** Gives the reservation back; called once the request is over, whatever happened. */
  void release() {
    gate.watchdog().forget(this);
    if (reservation != null) reservation.close();
  }

  @Override
  public boolean isFinished() {
    return eof || in != null && in.isFinished();
  }

  @Override
  public boolean isReady() {
    return in == null || in.isReady();
  }

  @Override
  public void setReadListener(ReadListener listener) {
    // asynchronous reads would bypass the checks above: no route uses them
    throw new IllegalStateException("asynchronous request body reads are not supported");
  }
}
