package org.trailbook.workload;

import org.trailbook.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * Event {@code n} of a workload, for {@code workspace}. The event object is freshly built for this value and shares
 * nothing with other events, so the caller may change it.
 */
public record GeneratedEvent(String workspace, long n, ObjectNode event) {
  /** The event as compact JSON (UTF-8), keys in a fixed order: the same spec gives the same bytes. */
  public byte[] json() {
    return Json.MAPPER.writeValueAsBytes(event);
  }

  /** The event's client idempotency id. */
  public String id() {
    return event.get("id").asString();
  }
}
