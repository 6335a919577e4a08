package org.trailbook.workload;

import org.trailbook.workload.Parts.Moment;
import org.trailbook.workload.Population.Actor;
import org.trailbook.workload.Population.Resource;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code webhook_delivery} events: 1–4 attempts with backoff; failed attempts carry an error. */
final class Webhooks {
  static final int MAX_ATTEMPTS = 4;
  /** Seconds from the first attempt to attempt i. */
  private static final long[] BACKOFF_S = {0, 30, 150, 750};
  private static final String[] EVENTS = {
    "contact.created", "contact.updated", "campaign.launched", "ticket.created", "ticket.closed", "invoice.paid",
    "invoice.sent", "conversation.closed"
  };
  private static final int[] FAILED_CODES = {500, 502, 503, 503, 504, 504, 429, 410};

  private final Parts parts;

  Webhooks(Parts parts) {
    this.parts = parts;
  }

  void fill(ObjectNode event, Moment m) {
    Rng rng = m.rng();
    String status = Parts.status(rng, 0.88, 0.06, 0.02, "pending");
    Actor actor = parts.system("webhook-dispatcher", m);
    Resource hook = parts.resource("webhook", m);
    int attempts = switch (status) {
      case "failure" -> MAX_ATTEMPTS;
      case "pending" -> rng.between(1, MAX_ATTEMPTS - 1);
      case "warning" -> rng.between(2, MAX_ATTEMPTS);
      default -> rng.chance(0.85) ? 1 : rng.between(2, MAX_ATTEMPTS);
    };
    boolean delivered = status.equals("success") || status.equals("warning");

    event.put("action", switch (status) {
      case "failure" -> "webhook.delivery_failed";
      case "pending" -> "webhook.retry_scheduled";
      default -> "webhook.delivered";
    });
    event.put("status", status);
    event.set("actor", Parts.actor(actor));
    event.set("resource", Parts.resourceWithoutUrl(hook));

    ObjectNode webhook = event.putObject("webhook");
    webhook.put("event", rng.pick(EVENTS)).put("endpoint", endpoint(hook));
    ArrayNode list = webhook.putArray("attempts");
    long first = m.millis() - BACKOFF_S[attempts - 1] * 1000 - rng.nextInt(2000);
    for (int i = 0; i < attempts; i++) {
      boolean ok = delivered && i == attempts - 1;
      ObjectNode attempt = list.addObject();
      attempt.put("at", Timeline.format(i == attempts - 1 ? m.millis() : first + BACKOFF_S[i] * 1000));
      int code = ok ? 200 : rng.pick(FAILED_CODES);
      attempt.put("status_code", code);
      attempt.put("latency_ms", Math.round(code == 504 ? 10_000 : ok ? rng.skewed(180, 0.6) : rng.skewed(900, 0.7)));
      if (!ok) attempt.put("error", code == 504 ? "timed out after 10000 ms" : "endpoint responded " + code);
    }
    webhook.put("retry_count", attempts - 1);

    ObjectNode metadata = event.putObject("metadata");
    metadata.put("payload_bytes", rng.between(300, 4000)).put("signature", "v1");
    if (status.equals("pending")) metadata.put("next_attempt_at",
        Timeline.format(first + BACKOFF_S[attempts] * 1000));
    if (status.equals("failure")) metadata.put("disabled_after", "4 failed attempts");
  }

  /** The receiving URL of a webhook, stable per webhook. */
  static String endpoint(Resource hook) {
    int h = hook.id().hashCode() & 0x7fffffff;
    String domain = Words.COMPANY_DOMAINS[h % Words.COMPANY_DOMAINS.length];
    return (h % 3 == 0 ? "https://hooks." + domain + "/trailbook/" : "https://api." + domain + "/webhooks/in/")
        + Integer.toHexString(h);
  }
}
