package org.trailbook.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.trailbook.integrity.LogIntegrity;

/**
 * Checkpoints and integrity:
 *
 * <ul>
 *   <li>{@code trailbook_checkpoint_age_seconds}: since the newest checkpoint of any workspace was signed; NaN while
 *       none exists. It grows while nothing is written (only grown trees are signed), so alert on it together with
 *       ingest, e.g. age above a minute while {@code trailbook_ingest_events_total} rose.
 *   <li>{@code trailbook_checkpoint_sign_duration_seconds}: one checkpoint: the tree's fsync, the Ed25519 signature,
 *       the checkpoint's own fsync.
 *   <li>{@code trailbook_checkpoints_signed_total}, {@code trailbook_integrity_failures_total} (start-up checks and
 *       scrubs), {@code trailbook_integrity_refused_workspaces} (workspaces refusing writes): as in {@code /healthz}.
 * </ul>
 */
final class IntegrityMetrics {
  private IntegrityMetrics() {}

  static void bind(MeterRegistry registry, LogIntegrity integrity) {
    Timer sign = Timer.builder("trailbook.checkpoint.sign.duration")
        .description("Time to sign and store one checkpoint: tree fsync, Ed25519 signature, checkpoint fsync")
        .serviceLevelObjectives(Buckets.SIGN).register(registry);
    integrity.observeSigning(nanos -> sign.record(nanos, TimeUnit.NANOSECONDS));
    Gauge.builder("trailbook.checkpoint.age", integrity, IntegrityMetrics::ageSeconds).strongReference(true).baseUnit("seconds")
        .description("Seconds since the newest signed checkpoint of any workspace was signed (NaN while there is none)").register(registry);
    FunctionCounter.builder("trailbook.checkpoints.signed", integrity, LogIntegrity::checkpointsSigned)
        .description("Checkpoints signed since the server started").register(registry);
    FunctionCounter.builder("trailbook.integrity.failures", integrity, LogIntegrity::failures)
        .description("Integrity failures found since the server started (start-up checks and scrubs)").register(registry);
    Gauge.builder("trailbook.integrity.refused.workspaces", integrity, LogIntegrity::refusedWorkspaces).strongReference(true)
        .description("Workspaces refusing writes after failing an integrity check").register(registry);
  }

  private static double ageSeconds(LogIntegrity integrity) {
    long newest = integrity.newestCheckpointMillis();
    return newest < 0 ? Double.NaN : Math.max(0, System.currentTimeMillis() - newest) / 1000.0;
  }
}
