package org.trailbook.retention;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.trailbook.NotFoundException;

/**
 * Retention as a service: the store, the server's settings and its clock. Checks every rule before it stores a change
 * (the days of a policy within the workspace's plan, holds, plan names), and answers what the purger applies ({@link
 * #effective}) and what the API shows ({@link #status}). Recording changes in the log is the caller's part: each change
 * answers its before and after, and whether anything changed at all.
 */
public final class Retention {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final RetentionStore store;
  private final RetentionConfig config;
  private final Clock clock;

  public Retention(RetentionStore store, RetentionConfig config, Clock clock) {
    this.store = store;
    this.config = config;
    this.clock = clock;
  }

  /** A change of one value: what it was, what it is; {@code changed} false when the store already held it. */
  public record Change<T>(Optional<T> before, Optional<T> after) {
    public boolean changed() {
      return !before.equals(after);
    }
  }

  /** What the API shows of a workspace's retention; {@code limitedByPlan}: the plan's maximum is below the policy. */
  public record Status(Optional<RetentionPolicy> policy, Optional<RetentionPlan> plan, EffectiveRetention effective, boolean limitedByPlan,
      List<LegalHold> activeHolds, Instant nextPurgeAt) {}

  public RetentionConfig config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * What the purger applies to {@code workspace} at {@code now}: days = the policy's (or the default), at most the
   * plan's maximum; the access trail at least its configured minimum and at least as long as the rest; held while a
   * hold is active.
   */
  public EffectiveRetention effective(String workspace, Instant now) {
    return status(workspace, now).effective();
  }

  public Status status(String workspace, Instant now) {
    Optional<RetentionPolicy> policy = store.policy(workspace);
    Optional<RetentionPlan> plan = store.planOf(workspace).flatMap(store::plan);
    Integer chosen = policy.isPresent() ? policy.get().days() : config.defaultDays(); // a policy's null days: unlimited
    Integer max = plan.map(RetentionPlan::maxDays).orElse(null);
    Integer days = min(chosen, max);
    boolean archive = policy.map(RetentionPolicy::archive).orElse(false);
    // with days unlimited nothing is purged, so the access trail's own retention is only its minimum
    int auditLogDays = days == null ? config.auditLogDays() : Math.max(config.auditLogDays(), days);
    List<LegalHold> active = store.holds(workspace).stream().filter(h -> h.activeAt(now)).toList();
    return new Status(policy, plan, new EffectiveRetention(days, archive, auditLogDays, !active.isEmpty()),
        !Objects.equals(days, chosen), active, nextPurgeAt(now));
  }

  /** The next run of the purger after {@code now}: today's or tomorrow's purge hour, UTC. */
  public Instant nextPurgeAt(Instant now) {
    ZonedDateTime t = now.atZone(ZoneOffset.UTC).with(LocalTime.of(config.purgeHour(), 0));
    return t.toInstant().isAfter(now) ? t.toInstant() : t.plusDays(1).toInstant();
  }

  /** Sets the workspace's policy, refusing days below the minimum or beyond its plan's maximum (400 naming {@code days}). */
  public Change<RetentionPolicy> setPolicy(String workspace, RetentionPolicy policy) {
    RetentionRules.checkDays("days", policy.days());
    Optional<RetentionPlan> plan = store.planOf(workspace).flatMap(store::plan);
    if (plan.isPresent() && plan.get().maxDays() != null && (policy.days() == null || policy.days() > plan.get().maxDays())) {
      throw RetentionRules.beyondPlan(plan.get());
    }
    return new Change<>(store.setPolicy(workspace, policy), Optional.of(policy));
  }

  /** Creates or changes a plan. A lower maximum takes effect at once for every workspace on the plan. */
  public Change<RetentionPlan> putPlan(String name, Integer maxDays) {
    RetentionRules.checkPlanName(name);
    RetentionRules.checkDays("max_days", maxDays);
    RetentionPlan plan = new RetentionPlan(name, maxDays);
    return new Change<>(store.putPlan(plan), Optional.of(plan));
  }

  public List<RetentionPlan> plans() {
    return store.plans();
  }

  /** The workspaces on a plan (to record a change of its maximum in each of their logs). */
  public List<String> workspacesOn(String planName) {
    return store.workspacesOn(planName);
  }

  /**
   * Assigns a plan (null: none) to the workspace: 404 naming an unknown plan. The plan may be below the workspace's
   * policy: then the plan's maximum applies ({@link Status#limitedByPlan}).
   */
  public Change<RetentionPlan> assignPlan(String workspace, String planName) {
    Optional<RetentionPlan> plan = Optional.empty();
    if (planName != null) {
      plan = store.plan(planName);
      if (plan.isEmpty()) throw new NotFoundException("no retention plan '" + planName + "'");
    }
    Optional<RetentionPlan> before = store.assignPlan(workspace, planName).flatMap(store::plan);
    return new Change<>(before, plan);
  }

  /** Places a legal hold (id {@code hold_} and 16 random hex digits): reason required, end in the future if given. */
  public LegalHold placeHold(String workspace, String reason, Instant endsAt, String placedBy) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    String r = RetentionRules.checkHold(reason, endsAt, now);
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    LegalHold hold = new LegalHold("hold_" + HexFormat.of().formatHex(b), workspace, r, now,
        endsAt == null ? null : endsAt.truncatedTo(ChronoUnit.MILLIS), null, placedBy);
    return store.placeHold(hold);
  }

  public List<LegalHold> holds(String workspace) {
    return store.holds(workspace);
  }

  /** Releases a hold now: 404 for an id the workspace does not have, 409 when it was released already. */
  public LegalHold releaseHold(String workspace, String id) {
    return store.releaseHold(workspace, id, clock.instant().truncatedTo(ChronoUnit.MILLIS))
        .orElseThrow(() -> new NotFoundException("no legal hold '" + id + "' in workspace '" + workspace + "'"));
  }

  /** The smaller of two retentions, null being unlimited. */
  static Integer min(Integer a, Integer b) {
    if (a == null) return b;
    if (b == null) return a;
    return Math.min(a, b);
  }
}
