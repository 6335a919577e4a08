package org.trailbook.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** What the probes read from a part: its first failure (with a reason safe to print), a silent death, a stall. */
class PartHealthTest {
  private final PartHealth part = new PartHealth("tree_appender", "the tree appender", "writes are refused", true);

  @Test
  void keepsTheFirstFailureAndItsPublicReasonHoldsNoMessage() {
    assertThat(part.fail(new IOException("cannot create /data/tree/acme/level-02"))).isTrue();
    assertThat(part.fail(new IllegalStateException("later"))).as("reported once").isFalse();
    PartHealth.Failure f = part.failure();
    assertThat(f.cause()).isInstanceOf(IOException.class);
    assertThat(f.reason()).isEqualTo("the tree appender stopped (IOException); writes are refused").doesNotContain("acme");
    assertThat(part.state()).isEqualTo(PartHealth.State.FAILED);
    assertThat(part.failures()).isEqualTo(1);
    assertThat(new Liveness(List.of(part)).problems())
        .containsExactly(new Liveness.Problem("tree_appender", f.reason() + " (1 failure since start)", true, "failed", 1));
  }

  @Test
  void aPartThatFailedForGoodStaysFailedWhateverIsReportedLater() {
    part.fail(new IOException("disk"));
    part.succeeded(0);
    assertThat(part.retrying(new IOException("again"), 1)).as("no retry after a failure for good").isZero();
    assertThat(part.state()).isEqualTo(PartHealth.State.FAILED);
    assertThat(part.failure()).isNotNull();
    assertThat(part.failures()).isEqualTo(1);
  }

  @Test
  void aRetriedPartIsBackingOffUntilASuccessAndKeepsItsCountAndLastFailure() {
    assertThat(part.state()).isEqualTo(PartHealth.State.RUNNING);
    assertThat(part.retrying(new IOException("one"), 1_000_000)).isEqualTo(1);
    assertThat(part.retrying(new IOException("two"), 2_000_000)).isEqualTo(2);
    assertThat(part.state()).isEqualTo(PartHealth.State.BACKING_OFF);
    assertThat(part.problem(Long.MAX_VALUE)).isEqualTo("the tree appender failed (IOException) and is retried; writes are refused (2 failures since start)");
    part.succeeded(Long.MAX_VALUE);
    assertThat(part.state()).isEqualTo(PartHealth.State.RUNNING);
    assertThat(part.problem(Long.MAX_VALUE)).isNull();
    assertThat(part.failures()).isEqualTo(2);
    assertThat(part.lastFailure().cause()).hasMessage("two");
    assertThat(part.streak()).as("the streak lasts until the quiet time passed").isEqualTo(2);
    part.succeeded(0);
    assertThat(part.streak()).isZero();
  }

  @Test
  void aThreadThatEndedWithoutReportingIsAProblemUnlessTheServerStoppedIt() throws InterruptedException {
    Thread quiet = Thread.ofPlatform().start(part::running); // ends without fail(): a death that bypassed the loop's handler
    quiet.join();
    assertThat(part.problem(Long.MAX_VALUE)).isEqualTo("the tree appender is not running; writes are refused");
    part.stopped();
    assertThat(part.problem(Long.MAX_VALUE)).isNull();
  }

  @Test
  void aLiveThreadWithoutProgressIsStalled() throws InterruptedException {
    CountDownLatch stuck = new CountDownLatch(1);
    Thread t = Thread.ofPlatform().start(() -> {
      part.running();
      try {
        stuck.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      Liveness liveness = new Liveness(List.of(part), Duration.ofMillis(50));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (liveness.problems().isEmpty() && System.nanoTime() < deadline) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      assertThat(liveness.problems()).singleElement().extracting(Liveness.Problem::reason).asString().contains("made no progress");
      part.progressed();
      assertThat(new Liveness(List.of(part), Duration.ofSeconds(30)).problems()).isEmpty();
    } finally {
      stuck.countDown();
      t.join();
    }
  }
}
