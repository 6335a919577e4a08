package org.trailbook.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

/** Background work pauses for nine times the CPU it used while writes are acknowledged, and not at all otherwise. */
class BackgroundPaceTest {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  @Test
  void whileWritesComeASliceOfCpuIsFollowedByNineTimesAsLongAPause() {
    BackgroundPace pace = new BackgroundPace(() -> true);
    pace.begin();
    long cpu = burn(BackgroundPace.SLICE_NANOS);
    long wall = System.nanoTime();
    pace.step();
    long paused = System.nanoTime() - wall;
    long expected = (long) (cpu * (1 - BackgroundPace.BUSY_SHARE) / BackgroundPace.BUSY_SHARE);
    assertThat(pace.pausedNanos()).isGreaterThanOrEqualTo(expected);
    assertThat(paused).as("it really waited").isGreaterThanOrEqualTo(pace.pausedNanos());
    long before = pace.pausedNanos();
    pace.step();
    assertThat(pace.pausedNanos()).as("no new slice of CPU used: no new pause").isEqualTo(before);
  }

  @Test
  void withoutWritesItRunsAtFullSpeed() {
    java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean();
    BackgroundPace pace = new BackgroundPace(writing::get);
    pace.begin();
    burn(BackgroundPace.SLICE_NANOS);
    pace.step();
    assertThat(pace.pausedNanos()).isZero();
    writing.set(true);
    burn(BackgroundPace.SLICE_NANOS);
    pace.step();
    assertThat(pace.pausedNanos()).as("writes now").isPositive();
  }

  @Test
  void writeActivityIsBusyRightAfterATouchOnly() {
    WriteActivity writes = new WriteActivity();
    assertThat(writes.busy()).as("nothing written yet").isFalse();
    writes.touch();
    assertThat(writes.busy()).isTrue();
  }

  @Test
  void belowASliceNothingPauses() {
    BackgroundPace pace = new BackgroundPace(() -> true);
    pace.begin();
    pace.step();
    assertThat(pace.pausedNanos()).isZero();
  }

  /** Uses at least {@code nanos} of this thread's CPU; returns how much it used. */
  private static long burn(long nanos) {
    long start = CPU.getCurrentThreadCpuTime();
    long x = 0;
    while (CPU.getCurrentThreadCpuTime() - start < nanos) {
      for (int i = 0; i < 10_000; i++) x += i * 31L ^ x;
    }
    if (x == 42) System.out.print(""); // keeps the loop from being optimised away
    return CPU.getCurrentThreadCpuTime() - start;
  }
}
