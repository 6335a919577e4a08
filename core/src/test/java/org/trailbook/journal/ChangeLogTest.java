package org.trailbook.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ChangeLogTest {
  @Test
  void answersWithTheWorkspacesTouchedAfterACursorItStillCovers() {
    ChangeLog log = new ChangeLog(8);
    log.record(Set.of("a"));
    log.record(Set.of("b", "c"));
    log.record(Set.of("a"));
    assertThat(log.cursor()).isEqualTo(3);
    assertThat(log.touchedSince(1)).containsExactlyInAnyOrder("b", "c", "a");
    assertThat(log.touchedSince(2)).containsExactly("a");
    assertThat(log.touchedSince(3)).isEmpty();
  }

  @Test
  void aCursorTheRingNoLongerCoversOrFromAnotherRunMeansEveryWorkspace() {
    ChangeLog log = new ChangeLog(4);
    for (int i = 0; i < 10; i++) log.record(Set.of("w" + i));
    // groups 1..6 were pushed out of the ring: only cursors from 6 on are still answered exactly
    assertThat(log.touchedSince(5)).isNull();
    assertThat(log.touchedSince(6)).containsExactlyInAnyOrder("w6", "w7", "w8", "w9");
    assertThat(log.touchedSince(FeedChanges.ALL)).isNull();
    assertThat(log.touchedSince(11)).isNull();
  }

  @Test
  void aGroupThatLostOnlySomeOfItsPairsIsNotReportedAsComplete() {
    ChangeLog log = new ChangeLog(4);
    log.record(Set.of("a", "b", "c"));
    log.record(Set.of("d", "e")); // overwrites one pair of group 1
    assertThat(log.touchedSince(0)).isNull();
    assertThat(log.touchedSince(1)).containsExactlyInAnyOrder("d", "e");
  }
}
