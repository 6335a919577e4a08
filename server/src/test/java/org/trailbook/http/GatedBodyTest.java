package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.trailbook.OverloadedException;
import org.trailbook.TooLargeException;
import org.trailbook.access.AccessDeniedException;
import org.trailbook.access.Credential;
import org.trailbook.access.Scope;

/**
 * The gate on its own, with a stand-in request and a controlled clock: what it refuses before
 * reading a single byte, and how it reads.
 */
class GatedBodyTest {
  private final AtomicLong nanos = new AtomicLong();
  private final BodyGate gate = new BodyGate(BodyConfig.DEFAULTS.withMinRate(1024, Duration.ofSeconds(5)), 100 * 1024, 400 * 1024, nanos::get);
  private final Credential acme = new Credential("k1", "acme", Set.of(Scope.READ), false);

  /** A body source that counts what was taken from it. */
  static final class Source extends ServletInputStream {
    final byte[] bytes;
    int pos;

    Source(int size) {
      bytes = new byte[size];
    }

    @Override
    public int read() {
      return pos < bytes.length ? bytes[pos++] : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= bytes.length) return -1;
      int n = Math.min(Math.min(len, 1000), bytes.length - pos); // arrives 1000 bytes at a time
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public boolean isFinished() {
      return pos >= bytes.length;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setReadListener(ReadListener l) {}
  }

  /** A stand-in request whose body is {@code body} (handed out only when the gate opens it). */
  private static HttpServletRequest request(ServletInputStream body, long contentLength, boolean chunked, Map<String, Object> attributes) {
    return (HttpServletRequest) Proxy.newProxyInstance(GatedBodyTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
        (proxy, m, args) -> switch (m.getName()) {
          case "getContentLengthLong" -> contentLength;
          case "getHeader" -> "Transfer-Encoding".equals(args[0]) && chunked ? "chunked" : null;
          case "getAttribute" -> attributes.get((String) args[0]);
          case "getMethod" -> "POST";
          case "getRequestURI" -> "/v1/views";
          case "getInputStream" -> body;
          default -> throw new UnsupportedOperationException(m.getName());
        });
  }

  private Map<String, Object> signedIn(Credential c) {
    Map<String, Object> a = new HashMap<>();
    a.put(BodyGate.CREDENTIAL, c);
    return a;
  }

  @Test
  void anAnonymousBodyIsNeverRead() {
    Source src = new Source(10);
    GatedBody body = new GatedBody(request(src, 10, false, Map.of()), gate);
    assertThatThrownBy(body::readFully).isInstanceOfSatisfying(AccessDeniedException.class, e -> assertThat(e.unauthenticated()).isTrue());
    assertThat(src.pos).isZero();
  }

  @Test
  void aDeclaredLengthOverTheRouteLimitIsRefusedUnreadAndAChunkedOneIsCutAtIt() {
    Source src = new Source(70 * 1024);
    GatedBody declared = new GatedBody(request(src, 70 * 1024, false, signedIn(acme)), gate);
    assertThatThrownBy(declared::readFully).isInstanceOf(TooLargeException.class).hasMessageContaining("the limit for POST /v1/views is 65536 bytes");
    assertThat(src.pos).isZero();
    GatedBody chunked = new GatedBody(request(src, -1, true, signedIn(acme)), gate);
    assertThatThrownBy(chunked::readFully).isInstanceOf(TooLargeException.class).hasMessageContaining("65536 bytes");
    assertThat(src.pos).isBetween(64 * 1024, 66 * 1024);
    chunked.release();
    assertThat(gate.budget().heldBytes()).isZero();
  }

  @Test
  void aWorkspaceOverItsShareIsRefusedUnreadAndAnotherIsNot() throws IOException {
    // budget 400 KiB, share 25% = 100 KiB: one ingest body of 100 KiB fills acme's share
    Map<String, Object> bulk = signedIn(acme);
    bulk.put(BodyGate.BULK, Boolean.TRUE);
    GatedBody first = new GatedBody(request(new Source(100 * 1024), 100 * 1024, false, bulk), gate);
    first.read(new byte[10], 0, 10);
    Source second = new Source(1000);
    assertThatThrownBy(() -> new GatedBody(request(second, 1000, false, signedIn(acme)), gate).readFully())
        .isInstanceOf(OverloadedException.class).hasMessageContaining("share of workspace 'acme'");
    assertThat(second.pos).isZero();
    Credential other = new Credential("k2", "other", Set.of(Scope.READ), false);
    assertThat(new GatedBody(request(new Source(1000), 1000, false, signedIn(other)), gate).readFully()).hasSize(1000);
    first.release();
    assertThat(new GatedBody(request(new Source(1000), 1000, false, signedIn(acme)), gate).readFully()).hasSize(1000);
  }

  @Test
  void aBodyMustKeepUpTheMinimumRateOnceTheGraceIsOver() throws IOException {
    GatedBody body = new GatedBody(request(new Source(60_000), 60_000, false, signedIn(acme)), gate);
    byte[] buf = new byte[1000];
    body.read(buf, 0, buf.length);
    nanos.addAndGet(Duration.ofSeconds(5).toNanos()); // within the grace: anything goes
    body.read(buf, 0, buf.length);
    nanos.addAndGet(Duration.ofSeconds(1).toNanos()); // 1 s past it: 3000 bytes is above 1024
    body.read(buf, 0, buf.length);
    nanos.addAndGet(Duration.ofSeconds(3).toNanos()); // 4 s past it: 4000 bytes is below 4096
    assertThatThrownBy(() -> body.read(buf, 0, buf.length)).isInstanceOfSatisfying(RequestBodyException.class,
        e -> assertThat(e.kind).isEqualTo(RequestBodyException.Kind.TIMEOUT)).hasMessageContaining("1024 bytes per second");
    assertThat(body.failure).isNotNull();
  }
}
