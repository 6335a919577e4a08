package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.trailbook.OverloadedException;

class BodyBudgetTest {

  @Test
  void refusesABodyWhenTheBudgetIsSpentAndTakesItAgainOnceReleased() {
    BodyBudget budget = new BodyBudget(10 * 1024, 6 * 1024, 100);
    BodyBudget.Reservation first = budget.reserve("a", "workspace 'a'", 6 * 1024);
    assertThatThrownBy(() -> budget.reserve("b", "workspace 'b'", 5 * 1024))
        .isInstanceOfSatisfying(OverloadedException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(1))
        .hasMessageContaining("request bodies");
    BodyBudget.Reservation small = budget.reserve("b", "workspace 'b'", 4 * 1024);
    first.close();
    first.close(); // twice is harmless: it must not give back more than it took
    budget.reserve("c", "workspace 'c'", 5 * 1024).close();
    small.close();
    assertThat(budget.heldBytes()).isZero();
  }

  @Test
  void oneHolderGetsAtMostItsShareAndTheMessageSaysItIsItsShare() {
    BodyBudget budget = new BodyBudget(40 * 1024, 4 * 1024, 25);
    BodyBudget.Reservation a1 = budget.reserve("a", "workspace 'a'", 5 * 1024);
    BodyBudget.Reservation a2 = budget.reserve("a", "workspace 'a'", 5 * 1024);
    assertThatThrownBy(() -> budget.reserve("a", "workspace 'a'", 1024))
        .isInstanceOfSatisfying(OverloadedException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(1))
        .hasMessageContaining("share of workspace 'a'").hasMessageContaining("25%");
    // another workspace is not affected by a's uploads
    budget.reserve("b", "workspace 'b'", 10 * 1024).close();
    a1.close();
    budget.reserve("a", "workspace 'a'", 5 * 1024).close();
    a2.close();
  }

  @Test
  void aShareNeverGoesBelowOneLargestBody() {
    BodyBudget budget = new BodyBudget(10 * 1024, 6 * 1024, 1);
    budget.reserve("a", "workspace 'a'", 6 * 1024).close();
  }

  @Test
  void mustHoldAtLeastOneLargestBody() {
    assertThatThrownBy(() -> new BodyBudget(1024, 2048, 25)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void limitsThatAreNotWholeKibStillAdmitALargestBody() {
    BodyBudget b = new BodyBudget(20_000_000, 20_000_000, 25);
    try (BodyBudget.Reservation r = b.reserve("ws", "workspace 'ws'", 20_000_000)) {
      assertThat(r).isNotNull();
    }
  }
}
