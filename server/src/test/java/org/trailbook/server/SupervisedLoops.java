package org.trailbook.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.LoggerFactory;
import org.trailbook.health.PartHealth;
import org.trailbook.http.HttpClientForTests;
import tools.jackson.databind.JsonNode;

/**
 * What the tests of supervised loops share: the server log captured (every logger, so a line from
 * anywhere counts), the probes' view of one part, and deadline loops instead of sleeps.
 */
public final class SupervisedLoops implements AutoCloseable {
  public static final Duration DEADLINE = Duration.ofSeconds(30);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  /** Starts capturing the whole server log. */
  public SupervisedLoops() {
    appender.start();
    root.addAppender(appender);
  }

  /** Every captured line at {@code level}. */
  public List<ILoggingEvent> lines(Level level) {
    synchronized (appender) { // the appender adds under its own lock
      return appender.list.stream().filter(e -> e.getLevel() == level).toList();
    }
  }

  /** Exactly one ERROR line in the whole log: from {@link PartHealth}, naming the part, with the cause's stack. */
  public void assertOneError(String part, Class<? extends Throwable> cause) {
    List<ILoggingEvent> errors = lines(Level.ERROR);
    assertThat(errors).extracting(ILoggingEvent::getFormattedMessage).hasSize(1);
    ILoggingEvent e = errors.getFirst();
    assertThat(e.getLoggerName()).isEqualTo(PartHealth.class.getName());
    assertThat(e.getFormattedMessage()).startsWith("[" + part + "]");
    assertThat(e.getThrowableProxy()).isNotNull();
    assertThat(e.getThrowableProxy().getClassName()).isEqualTo(cause.getName());
  }

  /** One INFO line saying the part recovered. */
  public void assertRecoveredOnce(String part, long failures) {
    assertThat(lines(Level.INFO)).extracting(ILoggingEvent::getFormattedMessage)
        .containsOnlyOnce("[" + part + "] recovered after " + failures + " failure(s) in a row");
  }

  /** {@code /readyz} is 503 and lists the part as backing off with at least {@code failures} failures; {@code /healthz} is 200 "degraded". */
  public static void assertBackingOff(HttpClientForTests http, String part, long failures) {
    JsonNode ready = http.get("/readyz", null).expect(503).json();
    assertThat(ready.get("status").asString()).isEqualTo("not_ready");
    JsonNode reason = reason(ready, part);
    assertThat(reason).as("/readyz names %s: %s", part, ready).isNotNull();
    assertThat(reason.get("state").asString()).isEqualTo("backing_off");
    assertThat(reason.get("failures").asLong()).isGreaterThanOrEqualTo(failures);
    assertThat(reason.get("reason").asString()).contains("is retried");
    JsonNode health = http.get("/healthz", null).expect(200).json();
    assertThat(health.get("status").asString()).isEqualTo("degraded");
    assertThat(reason(health, part)).isNotNull();
  }

  /** Whether {@code /readyz} is 503 listing the part as backing off right now (for a part that fails only now and then). */
  public static boolean showsBackingOff(HttpClientForTests http, String part) {
    HttpClientForTests.Response r = http.get("/readyz", null);
    if (r.status() != 503) return false;
    JsonNode reason = reason(r.json(), part);
    return reason != null && reason.get("state").asString().equals("backing_off") && reason.get("failures").asLong() > 0;
  }

  /** Waits until {@code /readyz} is 200 and {@code /healthz} "ok". */
  public static void awaitReady(HttpClientForTests http) {
    awaitTrue(() -> http.get("/readyz", null).status() == 200);
    assertThat(http.get("/healthz", null).expect(200).json().get("status").asString()).isEqualTo("ok");
  }

  private static JsonNode reason(JsonNode body, String part) {
    for (JsonNode r : body.get("reasons")) if (r.get("part").asString().equals(part)) return r;
    return null;
  }

  public static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + DEADLINE);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // re-check every few ms
    }
  }

  @Override
  public void close() {
    root.detachAppender(appender);
  }
}
