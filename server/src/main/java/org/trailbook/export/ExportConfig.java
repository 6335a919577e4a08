package org.trailbook.export;

import static org.trailbook.server.EnvVars.longVar;

import java.time.Duration;
import java.util.Map;
import org.trailbook.TrailbookException;

/**
 * Limits and resources of the exports.
 *
 * @param maxEntries entries per export job and per direct download (more is a 400 asking to narrow the filters)
 * @param jobsPerHour export jobs a workspace may start per rolling hour (more is a 429 with Retry-After)
 * @param retention how long a finished job and its file are kept (at least an hour)
 * @param workers jobs run at once on this node; 0 keeps new jobs queued (for maintenance, and tests)
 */
public record ExportConfig(long maxEntries, int jobsPerHour, Duration retention, int workers) {
  public static final ExportConfig DEFAULTS = new ExportConfig(100_000, 10, Duration.ofHours(24), 2);

  public ExportConfig {
    if (maxEntries < 1) throw new TrailbookException("TRAILBOOK_EXPORT_MAX_ENTRIES must be at least 1");
    if (jobsPerHour < 1) throw new TrailbookException("TRAILBOOK_EXPORT_JOBS_PER_HOUR must be at least 1");
    if (retention.compareTo(Duration.ofHours(1)) < 0) throw new TrailbookException("TRAILBOOK_EXPORT_RETENTION_HOURS must be at least 1");
    if (workers < 0 || workers > 64) throw new TrailbookException("TRAILBOOK_EXPORT_WORKERS must be from 0 to 64");
  }

  public static ExportConfig fromEnvironment(Map<String, String> env) {
    ExportConfig d = DEFAULTS;
    return new ExportConfig(
        longVar(env, "TRAILBOOK_EXPORT_MAX_ENTRIES", d.maxEntries()),
        (int) longVar(env, "TRAILBOOK_EXPORT_JOBS_PER_HOUR", d.jobsPerHour()),
        Duration.ofHours(longVar(env, "TRAILBOOK_EXPORT_RETENTION_HOURS", d.retention().toHours())),
        (int) longVar(env, "TRAILBOOK_EXPORT_WORKERS", d.workers()));
  }

  public ExportConfig withMaxEntries(long n) {
    return new ExportConfig(n, jobsPerHour, retention, workers);
  }

  public ExportConfig withJobsPerHour(int n) {
    return new ExportConfig(maxEntries, n, retention, workers);
  }

  public ExportConfig withWorkers(int n) {
    return new ExportConfig(maxEntries, jobsPerHour, retention, n);
  }

}
