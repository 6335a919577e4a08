package org.trailbook.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldPathTest {
  @Test
  void rendersDottedPathsWithIndexes() {
    assertThat(FieldPath.ROOT.child("webhook").child("attempts").at(2).child("at").toString())
        .isEqualTo("webhook.attempts[2].at");
    assertThat(FieldPath.ROOT.toString()).isEmpty();
    assertThat(FieldPath.ROOT.at(0).child("a").toString()).isEqualTo("[0].a");
  }

  @Test
  void cutsLongKeysAndHidesControlCharacters() {
    assertThat(FieldPath.ROOT.child("x".repeat(100)).toString()).isEqualTo("x".repeat(64) + "…");
    assertThat(FieldPath.ROOT.child("a\nb\uD800").toString()).isEqualTo("a?b?");
  }
}
