package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.trailbook.OverloadedException;

class BodyBudgetTest {

  @Test
  void refusesABodyWhenTheBudgetIsSpentAndTakesItAgainOnceReleased() {
    BodyBudget budget = new BodyBudget(10 * 1024, 6 * 1024);
    BodyBudget.Reservation first = budget.reserve(6 * 1024);
    assertThatThrownBy(() -> budget.reserve(5 * 1024))
        .isInstanceOfSatisfying(OverloadedException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(1))
        .hasMessageContaining("request bodies");
    BodyBudget.Reservation small = budget.reserve(4 * 1024);
    first.close();
    budget.reserve(5 * 1024).close();
    small.close();
  }

  @Test
  void reservesTheBodyLimitForABodyOfUnknownLength() {
    BodyBudget budget = new BodyBudget(10 * 1024, 6 * 1024);
    BodyBudget.Reservation chunked = budget.reserve(-1);
    assertThatThrownBy(() -> budget.reserve(5 * 1024)).isInstanceOf(OverloadedException.class);
    chunked.close();
    budget.reserve(10 * 1024).close();
  }

  @Test
  void mustHoldAtLeastOneLargestBody() {
    assertThatThrownBy(() -> new BodyBudget(1024, 2048)).isInstanceOf(IllegalArgumentException.class);
  }
}
