package org.trailbook.workload;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RngTest {
  @Test
  void sameSeedGivesSameSequence() {
    Rng a = new Rng(99);
    Rng b = new Rng(99);
    for (int i = 0; i < 100; i++) assertThat(a.nextLong()).isEqualTo(b.nextLong());
  }

  @Test
  void neighbouringEventsGetUnrelatedStreams() {
    assertThat(Rng.forEvent(1, 0).nextLong()).isNotEqualTo(Rng.forEvent(1, 1).nextLong());
    assertThat(Rng.forEvent(1, 0).nextLong()).isNotEqualTo(Rng.forEvent(2, 0).nextLong());
  }

  @Property
  void nextIntStaysInBounds(@ForAll long seed, @ForAll @IntRange(min = 1, max = 1_000_000) int bound) {
    Rng rng = new Rng(seed);
    for (int i = 0; i < 50; i++) assertThat(rng.nextInt(bound)).isBetween(0, bound - 1);
  }

  @Property
  void nextDoubleIsInUnitInterval(@ForAll long seed) {
    double d = new Rng(seed).nextDouble();
    assertThat(d).isGreaterThanOrEqualTo(0).isLessThan(1);
  }

  @Test
  void hexHasTheAskedLengthAndOnlyHexDigits() {
    Rng rng = new Rng(3);
    for (int digits : new int[] {1, 12, 16, 20, 32}) assertThat(rng.hex(digits)).matches("[0-9a-f]{" + digits + "}");
  }

  @Test
  void skewedValuesCenterOnTheMedian() {
    Rng rng = new Rng(5);
    int below = 0;
    for (int i = 0; i < 10_000; i++) if (rng.skewed(100, 0.5) < 100) below++;
    assertThat(below).isBetween(4_700, 5_300);
  }
}
