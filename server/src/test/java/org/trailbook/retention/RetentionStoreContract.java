package org.trailbook.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.trailbook.ConflictException;

/**
 * What every {@link RetentionStore} does, run against each backend. {@link #openStore} opens another instance on the
 * same backing (the file store after a restart; another node of a database), so every check of what was stored is
 * also a check that it survives a reopen.
 */
public abstract class RetentionStoreContract {
  static final Instant T0 = Instant.parse("2026-12-01T10:15:30.123Z");

  /** A store on this test's backing; called again, another instance on the same backing. */
  protected abstract RetentionStore openStore();

  @Test
  void aPolicyIsSetPerWorkspaceAndEachChangeAnswersWhatItReplaced() {
    RetentionStore s = openStore();
    assertThat(s.policy("acme")).isEmpty();
    assertThat(s.setPolicy("acme", new RetentionPolicy(90, true))).isEmpty();
    assertThat(s.setPolicy("acme", new RetentionPolicy(null, false))).contains(new RetentionPolicy(90, true));
    s.setPolicy("globex", new RetentionPolicy(30, false));
    RetentionStore again = openStore();
    assertThat(again.policy("acme")).contains(new RetentionPolicy(null, false)); // unlimited survives as null
    assertThat(again.policy("globex")).contains(new RetentionPolicy(30, false));
    assertThat(again.policy("initech")).isEmpty();
  }

  @Test
  void plansAreListedByNameAndReplacedInPlace() {
    RetentionStore s = openStore();
    assertThat(s.putPlan(new RetentionPlan("starter", 30))).isEmpty();
    s.putPlan(new RetentionPlan("growth", 90));
    s.putPlan(new RetentionPlan("enterprise", null));
    assertThat(s.putPlan(new RetentionPlan("growth", 60))).contains(new RetentionPlan("growth", 90));
    RetentionStore again = openStore();
    assertThat(again.plans()).containsExactly(new RetentionPlan("enterprise", null), new RetentionPlan("growth", 60), new RetentionPlan("starter", 30));
    assertThat(again.plan("growth")).contains(new RetentionPlan("growth", 60));
    assertThat(again.plan("nope")).isEmpty();
  }

  @Test
  void aWorkspaceIsOnAtMostOnePlanUntilCleared() {
    RetentionStore s = openStore();
    s.putPlan(new RetentionPlan("growth", 90));
    s.putPlan(new RetentionPlan("starter", 30));
    assertThat(s.assignPlan("acme", "growth")).isEmpty();
    assertThat(s.assignPlan("globex", "growth")).isEmpty();
    assertThat(s.assignPlan("initech", "starter")).isEmpty();
    assertThat(openStore().workspacesOn("growth")).containsExactly("acme", "globex");
    assertThat(s.assignPlan("acme", "starter")).contains("growth");
    assertThat(openStore().planOf("acme")).contains("starter");
    assertThat(s.assignPlan("acme", null)).contains("starter");
    assertThat(s.assignPlan("acme", null)).isEmpty();
    RetentionStore again = openStore();
    assertThat(again.planOf("acme")).isEmpty();
    assertThat(again.workspacesOn("growth")).containsExactly("globex");
    assertThat(again.workspacesOn("starter")).containsExactly("initech");
  }

  @Test
  void holdsAreKeptPerWorkspaceInTheOrderPlacedAndReleasedOnce() {
    RetentionStore s = openStore();
    LegalHold a = s.placeHold(new LegalHold("hold_a", "acme", "litigation 42", T0, null, null, "platform-admin"));
    LegalHold b = s.placeHold(new LegalHold("hold_b", "acme", "audit", T0.plusSeconds(60), T0.plusSeconds(86_400), null, "key_1"));
    s.placeHold(new LegalHold("hold_c", "globex", "other", T0, null, null, "key_2"));
    assertThat(openStore().holds("acme")).containsExactly(a, b); // instants survive to the millisecond
    Instant at = T0.plusSeconds(120);
    assertThat(s.releaseHold("acme", "hold_a", at)).contains(a.releasedAt(at));
    assertThatThrownBy(() -> openStore().releaseHold("acme", "hold_a", at.plusSeconds(1))).isInstanceOf(ConflictException.class)
        .hasMessageContaining("released already");
    assertThat(s.releaseHold("acme", "hold_zzz", at)).isEmpty();
    assertThat(s.releaseHold("globex", "hold_b", at)).as("another workspace's hold").isEmpty();
    RetentionStore again = openStore();
    assertThat(again.holds("acme")).containsExactly(a.releasedAt(at), b);
    assertThat(again.holds("globex")).extracting(LegalHold::id).containsExactly("hold_c");
    assertThat(again.holds("initech")).isEmpty();
  }

  @Test
  void aHoldIsActiveUntilReleasedOrItsEnd() {
    LegalHold open = new LegalHold("hold_a", "acme", "r", T0, null, null, "k");
    LegalHold ending = new LegalHold("hold_b", "acme", "r", T0, T0.plusSeconds(10), null, "k");
    assertThat(open.activeAt(T0.plusSeconds(1_000_000))).isTrue();
    assertThat(ending.activeAt(T0.plusSeconds(9))).isTrue();
    assertThat(ending.activeAt(T0.plusSeconds(10))).isFalse();
    assertThat(open.releasedAt(T0.plusSeconds(5)).activeAt(T0.plusSeconds(5))).isFalse();
    assertThat(Optional.of(open).map(h -> h.activeAt(T0.minusSeconds(1)))).as("held from the moment it is stored, whatever the clocks").contains(true);
  }
}
