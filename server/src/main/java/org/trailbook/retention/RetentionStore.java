package org.trailbook.retention;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where retention settings live: per-workspace policies and plan assignments, the plans, and legal holds. {@link
 * FileRetentionStore} is the embedded default ({@code DIR/retention/retention.json}); {@code
 * org.trailbook.postgres.PostgresRetentionStore} is shared by every node. Both pass {@code RetentionStoreContract}.
 * The store checks no rules: {@link Retention} does, before it stores anything. Each change answers what it replaced,
 * read in the same step, so the record of a change names the true "before" even when two changes race.
 */
public interface RetentionStore {
  /** The workspace's own policy; empty: none was set, the configured default applies. */
  Optional<RetentionPolicy> policy(String workspace);

  /** Sets the workspace's policy; answers the one it replaced. */
  Optional<RetentionPolicy> setPolicy(String workspace, RetentionPolicy policy);

  /** Every plan, by name. */
  List<RetentionPlan> plans();

  Optional<RetentionPlan> plan(String name);

  /** Creates or replaces a plan; answers the one it replaced. */
  Optional<RetentionPlan> putPlan(RetentionPlan plan);

  /** The name of the workspace's plan; empty: it has none (no maximum). */
  Optional<String> planOf(String workspace);

  /** Assigns a plan to the workspace ({@code planName} null: none); answers the name it replaced. */
  Optional<String> assignPlan(String workspace, String planName);

  /** The workspaces assigned to the plan, sorted. */
  List<String> workspacesOn(String planName);

  /** Stores a new hold (its id is new); answers it. */
  LegalHold placeHold(LegalHold hold);

  /** Every hold of the workspace, active and released, in the order they were placed. */
  List<LegalHold> holds(String workspace);

  /**
   * Releases a hold at {@code at}: answers it released, empty when the workspace has no hold with this id.
   *
   * @throws org.trailbook.ConflictException when it was released already
   */
  Optional<LegalHold> releaseHold(String workspace, String id, Instant at);

  static org.trailbook.ConflictException alreadyReleased(LegalHold h) {
    return new org.trailbook.ConflictException("the legal hold '" + h.id() + "' was released already, at "
        + org.trailbook.Times.format(h.releasedAt()));
  }
}
