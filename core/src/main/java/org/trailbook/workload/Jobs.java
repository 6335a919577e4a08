package org.trailbook.workload;

import java.util.List;
import org.trailbook.workload.Parts.Moment;
import org.trailbook.workload.Population.Actor;
import tools.jackson.databind.node.ObjectNode;

/** {@code background_job} and {@code system_event} events: job runs with duration and counts, failures with stacks. */
final class Jobs {
  /** A job: its name, the category its events carry, the service running it and its typical size. */
  record Job(String name, String category, String service, String resourceType, int medianProcessed, int medianMs) {}

  static final List<Job> JOBS = List.of(
      new Job("contacts.import", "contact", "importer", null, 2_000, 40_000),
      new Job("segment.recompute", "segment", "segment-engine", "segment", 15_000, 9_000),
      new Job("campaign.send", "campaign", "mailer", "campaign", 8_000, 120_000),
      new Job("report.generate", "report", "report-builder", "report", 1, 6_000),
      new Job("invoice.generate", "billing", "billing", null, 300, 20_000),
      new Job("search.reindex", "search", "search-indexer", null, 50_000, 300_000),
      new Job("data.export", "export", "exporter", null, 10_000, 60_000),
      new Job("webhook.retry_sweep", "webhook", "webhook-dispatcher", null, 40, 1_500),
      new Job("session.cleanup", "auth", "retention", null, 900, 2_000),
      new Job("billing.usage_sync", "billing", "billing", null, 120, 4_000));

  private static final String[] TRIGGERS = {"schedule", "schedule", "schedule", "schedule", "schedule", "schedule",
      "user", "user", "api", "event"};

  /** How a job or system task can fail: exception type, message and the frame it failed in. */
  record Failure(String type, String message, String frameClass, String frameMethod) {}

  static final List<Failure> FAILURES = List.of(
      new Failure("java.net.SocketTimeoutException", "Read timed out", "integrations.MailRelayClient", "send"),
      new Failure("java.lang.IllegalStateException", "batch already committed", "jobs.BatchWriter", "commit"),
      new Failure("java.sql.SQLTransientConnectionException", "connection pool exhausted (30000 ms)",
          "storage.ContactRepository", "saveAll"),
      new Failure("java.io.UncheckedIOException", "import file truncated at row 18211", "imports.CsvReader", "next"),
      new Failure("java.lang.OutOfMemoryError", "Java heap space", "search.IndexBuilder", "flush"));

  private static final String[] SYSTEM_SUCCESSES = {"system.deploy_completed", "system.backup_completed",
      "system.certificate_renewed", "system.config_changed", "billing.usage_recorded", "billing.payment_succeeded"};
  private static final String[] SYSTEM_FAILURES = {"system.backup_failed", "billing.payment_failed",
      "system.certificate_renewal_failed"};
  private static final String[] SYSTEM_WARNINGS = {"system.quota_warning", "system.disk_space_low"};
  private static final String[] SYSTEM_PENDING = {"system.maintenance_scheduled", "billing.payment_pending"};

  private final Parts parts;

  Jobs(Parts parts) {
    this.parts = parts;
  }

  void backgroundJob(ObjectNode event, Moment m) {
    Rng rng = m.rng();
    Job job = rng.pick(JOBS);
    String status = Parts.status(rng, 0.86, 0.06, 0.02, "in_progress");
    String trigger = rng.pick(TRIGGERS);
    Actor actor = parts.system(job.service(), m);

    event.put("action", switch (status) {
      case "failure" -> "job.failed";
      case "warning" -> "job.completed_with_warnings";
      case "in_progress" -> "job.started";
      default -> "job.completed";
    });
    event.put("category", job.category());
    event.put("status", status);
    event.set("actor", Parts.actor(actor));
    if (job.resourceType() != null) event.set("resource", Parts.resourceWithoutUrl(parts.resource(job.resourceType(), m)));
    event.set("context", parts.context(actor, m, Parts.requestId(rng)));

    ObjectNode node = event.putObject("job");
    node.put("name", job.name()).put("trigger", trigger);
    if (!status.equals("in_progress")) {
      long processed = Math.round(rng.skewed(job.medianProcessed(), 0.6));
      node.put("duration_ms", Math.round(rng.skewed(job.medianMs(), 0.5)));
      node.put("processed", status.equals("failure") ? processed / 3 : processed);
    }
    if (status.equals("failure")) {
      Failure failure = rng.pick(FAILURES);
      node.set("error", Parts.error(failure.message(), failure.type(),
          Parts.stack(failure.type(), failure.message(), failure.frameClass(), failure.frameMethod(), rng)));
    }
    ObjectNode metadata = event.putObject("metadata");
    metadata.put("queue", job.medianMs() > 30_000 ? "bulk" : "default").put("worker", "worker-" + rng.between(1, 12));
    if (trigger.equals("user")) metadata.put("triggered_by", parts.user(m).id());
    if (status.equals("warning")) metadata.put("skipped", rng.between(1, 40));
  }

  void systemEvent(ObjectNode event, Moment m) {
    Rng rng = m.rng();
    String status = Parts.status(rng, 0.86, 0.06, 0.02, "pending");
    String[] actions = switch (status) {
      case "failure" -> SYSTEM_FAILURES;
      case "warning" -> SYSTEM_WARNINGS;
      case "pending" -> SYSTEM_PENDING;
      default -> SYSTEM_SUCCESSES;
    };
    String action = rng.pick(actions);
    boolean billing = action.startsWith("billing.");
    Actor actor = billing ? parts.external(m) : parts.system(rng.chance(0.5) ? "scheduler" : "retention", m);

    event.put("action", action);
    event.put("status", status);
    event.set("actor", Parts.actor(actor));
    if (billing) event.set("resource", Parts.resourceWithoutUrl(parts.resource("invoice", m)));
    event.set("context", parts.context(actor, m, Parts.requestId(rng)));
    if (action.contains("backup")) {
      ObjectNode job = event.putObject("job");
      job.put("name", "database.backup").put("trigger", "schedule")
          .put("duration_ms", Math.round(rng.skewed(420_000, 0.3))).put("processed", rng.between(40, 400));
      if (status.equals("failure")) {
        job.set("error", Parts.error("upload to object storage failed: 503 Slow Down", "java.io.IOException",
            Parts.stack("java.io.IOException", "upload to object storage failed: 503 Slow Down",
                "backup.SnapshotUploader", "upload", rng)));
      }
    } else if (status.equals("failure")) {
      String message = billing ? "card declined: insufficient funds" : "ACME challenge failed: DNS record not found";
      String type = billing ? "PaymentDeclined" : "CertificateRenewalError";
      event.set("error", Parts.error(message, type,
          Parts.stack("com.tidewell.crm." + type, message, billing ? "billing.Charges" : "tls.Renewer", "run", rng)));
    }
    ObjectNode metadata = event.putObject("metadata");
    switch (action) {
      case "system.deploy_completed" -> metadata.put("release", "2026." + rng.between(1, 12) + "." + rng.between(0, 9));
      case "system.quota_warning" -> metadata.put("quota", "events_per_month").put("used_percent", rng.between(80, 99));
      case "system.disk_space_low" -> metadata.put("volume", "/var/lib/app").put("free_percent", rng.between(3, 9));
      case "billing.usage_recorded", "billing.payment_succeeded", "billing.payment_failed", "billing.payment_pending" ->
          metadata.put("amount_cents", rng.between(900, 480_000)).put("currency", "EUR");
      default -> metadata.put("host", "app-" + rng.between(1, 8));
    }
  }
}
