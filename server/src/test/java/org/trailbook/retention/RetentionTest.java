package org.trailbook.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.InvalidInputException;
import org.trailbook.NotFoundException;
import org.trailbook.TrailbookException;

/** The rules of {@link Retention} over a real file store: what the purger applies, and what is refused before anything is stored. */
class RetentionTest {
  static final Instant NOW = Instant.parse("2026-12-07T14:00:00Z");
  @TempDir Path dir;

  Retention retention(RetentionConfig config) {
    return new Retention(FileRetentionStore.open(dir), config, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void withoutPolicyOrPlanTheDefaultApplies() {
    assertThat(retention(RetentionConfig.DEFAULTS).effective("acme", NOW)).isEqualTo(new EffectiveRetention(null, false, 365, false));
    EffectiveRetention e = retention(RetentionConfig.DEFAULTS.withDefaultDays(730)).effective("acme", NOW);
    assertThat(e).isEqualTo(new EffectiveRetention(730, false, 730, false));
    assertThat(e.purges()).isTrue();
  }

  @Test
  void thePolicyWinsOverTheDefaultAndUnlimitedStaysUnlimited() {
    Retention r = retention(RetentionConfig.DEFAULTS.withDefaultDays(30));
    r.setPolicy("acme", new RetentionPolicy(90, true));
    assertThat(r.effective("acme", NOW)).isEqualTo(new EffectiveRetention(90, true, 365, false));
    r.setPolicy("acme", new RetentionPolicy(null, false));
    assertThat(r.effective("acme", NOW).days()).as("a policy of unlimited is not the default of 30").isNull();
    assertThat(r.effective("acme", NOW).purges()).isFalse();
  }

  @Test
  void theAccessTrailIsKeptAtLeastItsMinimumAndAtLeastAsLongAsTheRest() {
    Retention r = retention(RetentionConfig.DEFAULTS.withAuditLogDays(400));
    r.setPolicy("acme", new RetentionPolicy(30, false));
    assertThat(r.effective("acme", NOW).auditLogDays()).isEqualTo(400);
    r.setPolicy("acme", new RetentionPolicy(2555, false));
    assertThat(r.effective("acme", NOW).auditLogDays()).isEqualTo(2555);
  }

  @Test
  void aPlanCapsThePolicyAndAPolicyBeyondThePlanIsRefusedNamingDays() {
    Retention r = retention(RetentionConfig.DEFAULTS);
    r.setPolicy("acme", new RetentionPolicy(365, false));
    r.putPlan("growth", 90);
    r.assignPlan("acme", "growth");
    Retention.Status s = r.status("acme", NOW);
    assertThat(s.effective().days()).as("a plan lowered below the policy wins").isEqualTo(90);
    assertThat(s.limitedByPlan()).isTrue();
    assertThat(s.policy()).contains(new RetentionPolicy(365, false));
    for (Integer days : new Integer[] {91, null}) {
      assertThatThrownBy(() -> r.setPolicy("acme", new RetentionPolicy(days, false))).isInstanceOfSatisfying(InvalidInputException.class, e ->
          assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("days");
            assertThat(p.problem()).isEqualTo("at most 90 days on plan growth");
          }));
    }
    assertThat(r.setPolicy("acme", new RetentionPolicy(90, false)).changed()).isTrue();
    assertThat(r.status("acme", NOW).limitedByPlan()).isFalse();
    r.assignPlan("globex", "growth");
    assertThat(r.effective("globex", NOW).days()).as("an unlimited default is capped too").isEqualTo(90);
  }

  @Test
  void daysOutOfRangeAreRefusedAndNothingIsStored() {
    Retention r = retention(RetentionConfig.DEFAULTS);
    for (int days : new int[] {6, 0, -1, RetentionRules.MAX_DAYS + 1}) {
      assertThatThrownBy(() -> r.setPolicy("acme", new RetentionPolicy(days, false))).isInstanceOfSatisfying(InvalidInputException.class, e ->
          assertThat(e.problems().getFirst().field()).isEqualTo("days"));
    }
    for (int days : RetentionRules.PRESETS) r.setPolicy("acme", new RetentionPolicy(days, false));
    r.setPolicy("acme", new RetentionPolicy(RetentionRules.MIN_DAYS, false));
    assertThat(r.status("acme", NOW).policy()).contains(new RetentionPolicy(7, false));
    assertThatThrownBy(() -> r.putPlan("Growth", 90)).isInstanceOf(InvalidInputException.class).satisfies(e ->
        assertThat(((InvalidInputException) e).problems().getFirst().field()).isEqualTo("name"));
    assertThatThrownBy(() -> r.putPlan("growth", 3)).isInstanceOf(InvalidInputException.class);
    assertThat(r.plans()).isEmpty();
  }

  @Test
  void anUnchangedValueIsNoChange() {
    Retention r = retention(RetentionConfig.DEFAULTS);
    assertThat(r.setPolicy("acme", new RetentionPolicy(90, true)).changed()).isTrue();
    assertThat(r.setPolicy("acme", new RetentionPolicy(90, true)).changed()).isFalse();
    assertThat(r.setPolicy("acme", new RetentionPolicy(90, false)).changed()).isTrue();
    assertThat(r.putPlan("growth", 90).changed()).isTrue();
    assertThat(r.putPlan("growth", 90).changed()).isFalse();
    assertThat(r.assignPlan("acme", "growth").changed()).isTrue();
    assertThat(r.assignPlan("acme", "growth").changed()).isFalse();
    assertThat(r.assignPlan("acme", null).changed()).isTrue();
    assertThat(r.assignPlan("acme", null).changed()).isFalse();
  }

  @Test
  void anUnknownPlanIsNotFoundByName() {
    Retention r = retention(RetentionConfig.DEFAULTS);
    assertThatThrownBy(() -> r.assignPlan("acme", "gold")).isInstanceOf(NotFoundException.class).hasMessageContaining("'gold'");
  }

  @Test
  void anActiveHoldHoldsAndItsReleaseOrEndLetsGo() {
    Retention r = retention(RetentionConfig.DEFAULTS.withDefaultDays(30));
    LegalHold h = r.placeHold("acme", "  litigation 42 ", null, "platform-admin");
    assertThat(h.id()).matches("hold_[0-9a-f]{16}");
    assertThat(h.reason()).isEqualTo("litigation 42");
    assertThat(h.placedAt()).isEqualTo(NOW);
    assertThat(r.effective("acme", NOW).held()).isTrue();
    assertThat(r.effective("acme", NOW).purges()).isFalse();
    assertThat(r.effective("globex", NOW).held()).isFalse();
    assertThat(r.releaseHold("acme", h.id()).releasedAt()).isEqualTo(NOW);
    assertThat(r.effective("acme", NOW).held()).isFalse();
    assertThatThrownBy(() -> r.releaseHold("acme", "hold_nope")).isInstanceOf(NotFoundException.class);
    LegalHold ending = r.placeHold("acme", "until the audit", NOW.plusSeconds(3600), "key_1");
    assertThat(r.effective("acme", NOW.plusSeconds(3599)).held()).isTrue();
    assertThat(r.effective("acme", NOW.plusSeconds(3600)).held()).isFalse();
    assertThat(r.holds("acme")).extracting(LegalHold::id).containsExactly(h.id(), ending.id());
  }

  @Test
  void aHoldNeedsAReasonAndAFutureEnd() {
    Retention r = retention(RetentionConfig.DEFAULTS);
    assertThatThrownBy(() -> r.placeHold("acme", " ", null, "k")).isInstanceOfSatisfying(InvalidInputException.class, e ->
        assertThat(e.problems().getFirst().field()).isEqualTo("reason"));
    assertThatThrownBy(() -> r.placeHold("acme", "x".repeat(501), null, "k")).isInstanceOfSatisfying(InvalidInputException.class, e ->
        assertThat(e.problems().getFirst().problem()).contains("500"));
    assertThatThrownBy(() -> r.placeHold("acme", "r", NOW, "k")).isInstanceOfSatisfying(InvalidInputException.class, e ->
        assertThat(e.problems().getFirst().field()).isEqualTo("ends_at"));
    r.placeHold("acme", "x".repeat(500), null, "k");
    assertThat(r.holds("acme")).hasSize(1);
  }

  @Test
  void theNextPurgeIsTheNextPurgeHour() {
    Retention r = retention(RetentionConfig.DEFAULTS.withPurgeHour(3));
    assertThat(r.nextPurgeAt(NOW)).isEqualTo(Instant.parse("2026-12-08T03:00:00Z"));
    assertThat(r.nextPurgeAt(Instant.parse("2026-12-07T02:59:59Z"))).isEqualTo(Instant.parse("2026-12-07T03:00:00Z"));
    assertThat(r.nextPurgeAt(Instant.parse("2026-12-07T03:00:00Z"))).isEqualTo(Instant.parse("2026-12-08T03:00:00Z"));
  }

  @Test
  void theSettingsAreCheckedAtStartNamingTheVariable() {
    assertThat(RetentionConfig.fromEnvironment(Map.of())).isEqualTo(RetentionConfig.DEFAULTS);
    assertThat(RetentionConfig.fromEnvironment(Map.of("TRAILBOOK_RETENTION_DEFAULT_DAYS", "730", "TRAILBOOK_RETENTION_AUDIT_LOG_DAYS", "2555",
        "TRAILBOOK_PURGE_HOUR", "23"))).isEqualTo(new RetentionConfig(730, 2555, 23));
    assertThat(RetentionConfig.fromEnvironment(Map.of("TRAILBOOK_RETENTION_DEFAULT_DAYS", " ")).defaultDays()).isNull();
    Map<String, String> bad = Map.of("TRAILBOOK_RETENTION_DEFAULT_DAYS", "6", "TRAILBOOK_RETENTION_AUDIT_LOG_DAYS", "364",
        "TRAILBOOK_PURGE_HOUR", "24");
    bad.forEach((name, value) -> assertThatThrownBy(() -> RetentionConfig.fromEnvironment(Map.of(name, value)))
        .isInstanceOf(TrailbookException.class).hasMessageContaining(name));
    assertThatThrownBy(() -> RetentionConfig.fromEnvironment(Map.of("TRAILBOOK_PURGE_HOUR", "three"))).hasMessageContaining("TRAILBOOK_PURGE_HOUR");
  }
}
