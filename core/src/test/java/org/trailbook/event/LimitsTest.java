package org.trailbook.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LimitsTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    assertThat(Limits.DEFAULTS).isEqualTo(new Limits(5_242_880, 1_000, 262_144, 32, 65_536));
  }

  @Test
  void eachLimitCanBeOverridden() {
    Limits l = Limits.DEFAULTS.withMaxBodyBytes(1).withMaxEvents(2).withMaxEventBytes(3).withMaxDepth(4).withMaxStringChars(5);
    assertThat(l).isEqualTo(new Limits(1, 2, 3, 4, 5));
  }

  @Test
  void refusesNonPositiveAndAbsurdDepths() {
    assertThatThrownBy(() -> Limits.DEFAULTS.withMaxEvents(0)).hasMessage("maxEvents must be at least 1");
    assertThatThrownBy(() -> Limits.DEFAULTS.withMaxDepth(100_000)).hasMessage("maxDepth must be at most 1000");
  }
}
