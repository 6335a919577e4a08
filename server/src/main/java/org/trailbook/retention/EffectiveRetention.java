package org.trailbook.retention;

/**
 * What the purger applies to a workspace at a given moment ({@link Retention#effective}).
 *
 * @param days entries older than this (by {@code received_at}) are purged; null: kept forever (nothing is purged)
 * @param archive whether a range is archived before it is purged
 * @param auditLogDays how long entries of category {@code audit_log} are kept: at least {@code days}, and at least
 *     the configured minimum of the access trail
 * @param held whether a legal hold is active: then nothing is purged
 */
public record EffectiveRetention(Integer days, boolean archive, int auditLogDays, boolean held) {
  /** Whether the purger may remove anything of the workspace now. */
  public boolean purges() {
    return days != null && !held;
  }
}
