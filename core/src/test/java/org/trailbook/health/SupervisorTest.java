package org.trailbook.health;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The supervisor on a real thread with real failures: retried with back-off, counted, logged once
 * per streak (ERROR, then WARN with a count, then INFO on recovery), visible to the probes while it
 * lasts, and never a silent stop, an Error included. No sleeps: every wait is a deadline loop on a
 * condition.
 */
class SupervisorTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  /** Short delays so the tests are quick; a streak ends after an hour without failure unless a test says otherwise. */
  private static final Supervisor.Backoff FAST = new Supervisor.Backoff(Duration.ofMillis(1), Duration.ofMillis(8), Duration.ofHours(1));

  private final PartHealth part = new PartHealth("search_indexer", "the search indexer", "events are not searchable until it recovers", false);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger partLog = (Logger) LoggerFactory.getLogger(PartHealth.class);
  private Supervisor supervisor;

  @BeforeEach
  void capture() {
    logs.start();
    partLog.addAppender(logs);
  }

  @AfterEach
  void stop() {
    if (supervisor != null) supervisor.close();
    partLog.detachAppender(logs);
  }

  @Test
  void aFailingStepIsRetriedVisibleWhileItFailsAndLoggedOncePerStreak() {
    AtomicInteger failing = new AtomicInteger(1); // 1: the fault is there
    AtomicInteger done = new AtomicInteger();
    supervisor = start(Duration.ZERO, FAST, () -> {
      if (failing.get() == 1) throw new IOException("disk gone at /data/index");
      done.incrementAndGet();
    });
    awaitTrue(() -> part.failures() >= 4);
    Liveness probes = new Liveness(List.of(part));
    assertThat(part.state()).isEqualTo(PartHealth.State.BACKING_OFF);
    Liveness.Problem p = probes.problems().getFirst();
    assertThat(p.state()).isEqualTo("backing_off");
    assertThat(p.failures()).isGreaterThanOrEqualTo(4);
    assertThat(p.reason()).startsWith("the search indexer failed (IOException) and is retried").doesNotContain("/data");
    assertThat(done).hasValue(0);

    failing.set(0); // the fault is removed: the next attempt works
    awaitTrue(() -> done.get() >= 3);
    assertThat(part.state()).isEqualTo(PartHealth.State.RUNNING);
    assertThat(part.failure()).isNull();
    assertThat(part.lastFailure().cause()).isInstanceOf(IOException.class);
    assertThat(probes.problems()).isEmpty();
    long failures = part.failures();
    List<ILoggingEvent> lines = lines();
    assertThat(lines).filteredOn(e -> e.getLevel() == Level.ERROR).singleElement().satisfies(e -> {
      assertThat(e.getFormattedMessage()).contains("[search_indexer]");
      assertThat(e.getThrowableProxy().getClassName()).isEqualTo(IOException.class.getName());
    });
    List<String> warnings = lines.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(warnings).as("one WARN per later failure of the streak, with the count").hasSize((int) failures - 1);
    assertThat(warnings.getFirst()).startsWith("[search_indexer] failed again (2 failures in a row, 2 since start): "
        + "java.io.IOException: disk gone at /data/index; next attempt in ");
    assertThat(warnings.getLast()).contains("(" + failures + " failures in a row");
    assertThat(lines).filteredOn(e -> e.getLevel() == Level.INFO).extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("[search_indexer] recovered after " + failures + " failure(s) in a row");
  }

  @Test
  void anErrorDoesNotStopTheLoop() {
    AtomicInteger runs = new AtomicInteger();
    supervisor = start(Duration.ZERO, FAST, () -> {
      int n = runs.incrementAndGet();
      if (n == 1) throw new StackOverflowError("injected");
      if (n == 2) throw new OutOfMemoryError("injected");
    });
    awaitTrue(() -> runs.get() >= 10);
    assertThat(supervisor.thread().isAlive()).isTrue();
    assertThat(part.failures()).isEqualTo(2);
    assertThat(part.state()).isEqualTo(PartHealth.State.RUNNING);
    assertThat(lines()).filteredOn(e -> e.getLevel() == Level.ERROR).singleElement()
        .satisfies(e -> assertThat(e.getThrowableProxy().getClassName()).isEqualTo(StackOverflowError.class.getName()));
  }

  @Test
  void aFlapWithinTheQuietTimeContinuesTheStreakAndSustainedSuccessEndsIt() {
    AtomicInteger runs = new AtomicInteger(); // steps 1 and 3 fail: a flap
    supervisor = start(Duration.ZERO, FAST, () -> {
      int n = runs.incrementAndGet();
      if (n == 1 || n == 3) throw new IllegalStateException("flap " + n);
    });
    awaitTrue(() -> runs.get() >= 5);
    assertThat(part.failures()).isEqualTo(2);
    assertThat(part.streak()).as("the quiet time (an hour) has not passed").isEqualTo(2);
    assertThat(lines()).filteredOn(e -> e.getLevel() == Level.ERROR).hasSize(1);
    assertThat(lines()).filteredOn(e -> e.getLevel() == Level.WARN).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
        .contains("2 failures in a row");

    // with a quiet time of 0 the first success ends the streak: the next failure is a new one, with its own ERROR
    supervisor.close();
    PartHealth other = new PartHealth("checkpoint_signer", "the checkpoint signer", "no checkpoints", false);
    AtomicInteger runs2 = new AtomicInteger();
    supervisor = Supervisor.start(Thread.ofPlatform().name("test-loop-2").daemon(true), other, Duration.ZERO, Duration.ZERO,
        new Supervisor.Backoff(Duration.ofMillis(1), Duration.ofMillis(8), Duration.ZERO), () -> {
          int n = runs2.incrementAndGet();
          if (n == 1 || n == 3) throw new IllegalStateException("flap " + n);
        });
    awaitTrue(() -> runs2.get() >= 5);
    assertThat(other.failures()).isEqualTo(2);
    assertThat(other.streak()).isZero();
    assertThat(lines()).filteredOn(e -> e.getLevel() == Level.ERROR && e.getFormattedMessage().contains("[checkpoint_signer]")).hasSize(2);
  }

  @Test
  void aFailedStepIsRetriedNoSoonerThanItsInterval() {
    List<Long> attempts = new CopyOnWriteArrayList<>();
    Duration interval = Duration.ofMillis(200);
    supervisor = start(interval, FAST, () -> {
      attempts.add(System.nanoTime());
      throw new IOException("always");
    });
    awaitTrue(() -> attempts.size() >= 3);
    for (int i = 1; i < 3; i++) assertThat(attempts.get(i) - attempts.get(i - 1)).isGreaterThanOrEqualTo(interval.toNanos());
  }

  @Test
  void theBackoffDoublesFromItsFirstDelayToItsCapWithJitter() {
    Supervisor.Backoff b = Supervisor.Backoff.DEFAULT;
    for (int i = 0; i < 200; i++) {
      assertThat(b.delayNanos(1)).isBetween(ms(50), ms(100));
      assertThat(b.delayNanos(2)).isBetween(ms(100), ms(200));
      assertThat(b.delayNanos(4)).isBetween(ms(400), ms(800));
      assertThat(b.delayNanos(10)).isBetween(ms(15_000), ms(30_000)); // 100 ms × 2^9 > 30 s: capped
      assertThat(b.delayNanos(Integer.MAX_VALUE)).isBetween(ms(15_000), ms(30_000));
    }
  }

  @Test
  void closingEndsTheLoopPromptlyEvenDuringALongIntervalAndIsNoFailure() {
    AtomicInteger runs = new AtomicInteger();
    supervisor = start(Duration.ofHours(1), FAST, runs::incrementAndGet);
    awaitTrue(() -> supervisor.thread().getState() == Thread.State.TIMED_WAITING);
    long started = System.nanoTime();
    supervisor.close();
    assertThat(supervisor.thread().isAlive()).isFalse();
    assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(5));
    assertThat(runs).hasValue(0);
    assertThat(part.failures()).isZero();
    assertThat(part.state()).isEqualTo(PartHealth.State.STOPPED);
    assertThat(part.problem(Long.MAX_VALUE)).isNull();
  }

  @Test
  void aPartThatFailedForGoodIsNotRetried() {
    part.fail(new IOException("terminal"));
    AtomicInteger runs = new AtomicInteger();
    supervisor = start(Duration.ZERO, FAST, () -> {
      runs.incrementAndGet();
      throw new IOException("again");
    });
    awaitTrue(() -> !supervisor.thread().isAlive());
    assertThat(runs).hasValue(1);
    assertThat(part.state()).isEqualTo(PartHealth.State.FAILED);
    assertThat(part.failures()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ helpers

  private Supervisor start(Duration interval, Supervisor.Backoff backoff, Supervisor.Step step) {
    return Supervisor.start(Thread.ofPlatform().name("test-loop").daemon(true), part, interval, interval, backoff, step);
  }

  private static long ms(long n) {
    return TimeUnit.MILLISECONDS.toNanos(n);
  }

  private List<ILoggingEvent> lines() {
    synchronized (logs) {
      return List.copyOf(logs.list);
    }
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + DEADLINE);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // re-check every few ms
    }
  }
}
