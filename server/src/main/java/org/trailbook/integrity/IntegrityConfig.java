package org.trailbook.integrity;

import static org.trailbook.server.EnvVars.longVar;

import java.time.Duration;
import java.util.Map;
import org.trailbook.TrailbookException;

/**
 * How the server signs and checks its logs: the log's signer key ({@code TRAILBOOK_LOG_KEY}, a
 * signer-key string; when absent the key in {@code DIR/keys/log.key} is used or created), how often
 * grown trees are signed ({@code TRAILBOOK_CHECKPOINT_INTERVAL_MS}, default 250) and how often
 * whole logs are re-verified ({@code TRAILBOOK_SCRUB_INTERVAL_MINUTES}, default 1440; 0 turns the
 * scrubber off). {@link #toString()} never shows the key.
 */
public record IntegrityConfig(String logKey, Duration checkpointInterval, Duration scrubInterval) {
  public static final IntegrityConfig DEFAULTS = new IntegrityConfig(null, Duration.ofMillis(250), Duration.ofHours(24));

  public IntegrityConfig {
    if (checkpointInterval.isNegative() || checkpointInterval.isZero() || checkpointInterval.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new TrailbookException("the checkpoint interval must be from 1 ms to 1000 ms, so checkpoints appear within a second; it is "
          + checkpointInterval.toMillis() + " ms");
    }
    if (scrubInterval.isNegative()) throw new TrailbookException("the scrub interval must not be negative");
  }

  public static IntegrityConfig fromEnvironment(Map<String, String> env) {
    String key = env.get("TRAILBOOK_LOG_KEY");
    return new IntegrityConfig(key == null || key.isBlank() ? null : key.strip(),
        Duration.ofMillis(longVar(env, "TRAILBOOK_CHECKPOINT_INTERVAL_MS", DEFAULTS.checkpointInterval.toMillis())),
        Duration.ofMinutes(longVar(env, "TRAILBOOK_SCRUB_INTERVAL_MINUTES", DEFAULTS.scrubInterval.toMinutes())));
  }

  public IntegrityConfig withScrubInterval(Duration d) {
    return new IntegrityConfig(logKey, checkpointInterval, d);
  }

  public IntegrityConfig withLogKey(String key) {
    return new IntegrityConfig(key, checkpointInterval, scrubInterval);
  }

  @Override
  public String toString() {
    return "IntegrityConfig[logKey=" + (logKey == null ? "from DIR/keys/log.key" : "(given, hidden)") + ", checkpointInterval="
        + checkpointInterval + ", scrubInterval=" + scrubInterval + "]";
  }

}
