package org.trailbook.http;

import static org.trailbook.server.EnvVars.longVar;

import java.time.Duration;
import java.util.Map;
import org.trailbook.TrailbookException;

/**
 * How request bodies are admitted and how fast they must arrive (see {@link BodyBudget} and
 * {@link GatedBody}).
 *
 * @param maxControlBodyBytes the largest body of every route but ingest ({@code POST /v1/events},
 *     whose limit is {@code TRAILBOOK_MAX_BODY_BYTES}): views, exports, keys, workspaces, viewer
 *     tokens send small JSON objects, so they cannot hog the shared budget
 * @param sharePercent the most of the in-flight budget one workspace (or the platform admin) may
 *     hold at once
 * @param minRateBytesPerSecond the slowest a body may arrive once the grace is over; 0 turns the
 *     check off
 * @param rateGrace how long a body may take before the rate applies (connection set-up, a slow start)
 * @param idleTimeout how long a connection may stay silent, also in the middle of a body
 */
public record BodyConfig(long maxControlBodyBytes, int sharePercent, long minRateBytesPerSecond, Duration rateGrace, Duration idleTimeout) {
  public static final BodyConfig DEFAULTS = new BodyConfig(64 * 1024, 25, 1024, Duration.ofSeconds(5), Duration.ofSeconds(30));

  public BodyConfig {
    if (maxControlBodyBytes < 1024) throw new TrailbookException("TRAILBOOK_MAX_CONTROL_BODY_BYTES must be at least 1024");
    if (sharePercent < 1 || sharePercent > 100) throw new TrailbookException("TRAILBOOK_INFLIGHT_SHARE_PERCENT must be from 1 to 100");
    if (minRateBytesPerSecond < 0) throw new TrailbookException("TRAILBOOK_MIN_BODY_RATE must not be negative");
    if (rateGrace.isNegative()) throw new TrailbookException("TRAILBOOK_MIN_BODY_RATE_GRACE_MS must not be negative");
    if (idleTimeout.toMillis() < 100) throw new TrailbookException("TRAILBOOK_IDLE_TIMEOUT_MS must be at least 100");
  }

  public static BodyConfig fromEnvironment(Map<String, String> env) {
    BodyConfig d = DEFAULTS;
    return new BodyConfig(
        longVar(env, "TRAILBOOK_MAX_CONTROL_BODY_BYTES", d.maxControlBodyBytes()),
        (int) Math.max(0, Math.min(1000, longVar(env, "TRAILBOOK_INFLIGHT_SHARE_PERCENT", d.sharePercent()))),
        longVar(env, "TRAILBOOK_MIN_BODY_RATE", d.minRateBytesPerSecond()),
        Duration.ofMillis(longVar(env, "TRAILBOOK_MIN_BODY_RATE_GRACE_MS", d.rateGrace().toMillis())),
        Duration.ofMillis(longVar(env, "TRAILBOOK_IDLE_TIMEOUT_MS", d.idleTimeout().toMillis())));
  }

  public BodyConfig withSharePercent(int p) {
    return new BodyConfig(maxControlBodyBytes, p, minRateBytesPerSecond, rateGrace, idleTimeout);
  }

  public BodyConfig withMinRate(long bytesPerSecond, Duration grace) {
    return new BodyConfig(maxControlBodyBytes, sharePercent, bytesPerSecond, grace, idleTimeout);
  }

  public BodyConfig withIdleTimeout(Duration d) {
    return new BodyConfig(maxControlBodyBytes, sharePercent, minRateBytesPerSecond, rateGrace, d);
  }
}
