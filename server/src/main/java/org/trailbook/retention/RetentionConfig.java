package org.trailbook.retention;

import static org.trailbook.server.EnvVars.intVar;

import java.util.Map;
import org.trailbook.TrailbookException;

/**
 * The server's retention settings.
 *
 * @param defaultDays the retention of a workspace that has set no policy ({@code TRAILBOOK_RETENTION_DEFAULT_DAYS}; null,
 *     the default: unlimited)
 * @param auditLogDays the minimum retention of the access trail, entries of category {@code audit_log} ({@code
 *     TRAILBOOK_RETENTION_AUDIT_LOG_DAYS}, 365 to 2555, default 365)
 * @param purgeHour the hour of the day (UTC) the purger runs ({@code TRAILBOOK_PURGE_HOUR}, 0 to 23, default 3)
 */
public record RetentionConfig(Integer defaultDays, int auditLogDays, int purgeHour) {
  public static final RetentionConfig DEFAULTS = new RetentionConfig(null, 365, 3);
  public static final int MIN_AUDIT_LOG_DAYS = 365;
  public static final int MAX_AUDIT_LOG_DAYS = 2555;

  public RetentionConfig {
    if (defaultDays != null && (defaultDays < RetentionRules.MIN_DAYS || defaultDays > RetentionRules.MAX_DAYS)) {
      throw new TrailbookException("TRAILBOOK_RETENTION_DEFAULT_DAYS must be from " + RetentionRules.MIN_DAYS + " to " + RetentionRules.MAX_DAYS
          + " days, or unset for unlimited, not " + defaultDays);
    }
    if (auditLogDays < MIN_AUDIT_LOG_DAYS || auditLogDays > MAX_AUDIT_LOG_DAYS) {
      throw new TrailbookException("TRAILBOOK_RETENTION_AUDIT_LOG_DAYS must be from " + MIN_AUDIT_LOG_DAYS + " to " + MAX_AUDIT_LOG_DAYS
          + " days (the access trail is kept at least a year, at most seven), not " + auditLogDays);
    }
    if (purgeHour < 0 || purgeHour > 23) throw new TrailbookException("TRAILBOOK_PURGE_HOUR must be an hour from 0 to 23 (UTC), not " + purgeHour);
  }

  public static RetentionConfig fromEnvironment(Map<String, String> env) {
    String d = env.get("TRAILBOOK_RETENTION_DEFAULT_DAYS");
    Integer defaultDays = d == null || d.isBlank() ? null : intVar(env, "TRAILBOOK_RETENTION_DEFAULT_DAYS", 0);
    return new RetentionConfig(defaultDays,
        intVar(env, "TRAILBOOK_RETENTION_AUDIT_LOG_DAYS", DEFAULTS.auditLogDays()),
        intVar(env, "TRAILBOOK_PURGE_HOUR", DEFAULTS.purgeHour()));
  }

  public RetentionConfig withDefaultDays(Integer days) {
    return new RetentionConfig(days, auditLogDays, purgeHour);
  }

  public RetentionConfig withAuditLogDays(int days) {
    return new RetentionConfig(defaultDays, days, purgeHour);
  }

  public RetentionConfig withPurgeHour(int hour) {
    return new RetentionConfig(defaultDays, auditLogDays, hour);
  }
}
