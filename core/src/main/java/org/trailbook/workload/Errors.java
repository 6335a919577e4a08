package org.trailbook.workload;

import org.trailbook.workload.Jobs.Failure;
import org.trailbook.workload.Parts.Moment;
import org.trailbook.workload.Population.Actor;
import tools.jackson.databind.node.ObjectNode;

/** {@code error} events: application exceptions with a message, type and stack trace. */
final class Errors {
  private static final String[] ACTIONS = {
    "error.unhandled_exception", "error.unhandled_exception", "error.timeout", "error.integration_failed",
    "error.validation_failed"
  };
  private static final String[] SERVICES = {"api", "web", "worker", "mailer"};
  private static final String[] RESOURCE_TYPES = {"contact", "campaign", "integration", "ticket", "invoice"};

  private final Parts parts;

  Errors(Parts parts) {
    this.parts = parts;
  }

  void fill(ObjectNode event, Moment m) {
    Rng rng = m.rng();
    String status = rng.chance(0.6) ? "failure" : "warning";
    Actor actor = rng.chance(0.6) ? parts.system("scheduler", m) : parts.user(m);
    Failure failure = rng.pick(Jobs.FAILURES);
    event.put("action", rng.pick(ACTIONS));
    event.put("status", status);
    event.set("actor", Parts.actor(actor));
    if (rng.chance(0.5)) event.set("resource", Parts.resourceWithoutUrl(parts.resource(rng.pick(RESOURCE_TYPES), m)));
    event.set("context", parts.context(actor, m, Parts.requestId(rng)));
    event.set("error", Parts.error(failure.message(), failure.type(),
        Parts.stack(failure.type(), failure.message(), failure.frameClass(), failure.frameMethod(), rng)));
    event.putObject("metadata")
        .put("service", rng.pick(SERVICES))
        .put("release", "2026.11." + rng.between(0, 6))
        .put("host", "app-" + rng.between(1, 8))
        .put("occurrences", rng.between(1, 30));
  }
}
