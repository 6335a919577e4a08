package org.trailbook.bench;

import java.time.Instant;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * An entry as the peer table stores it: the columns a team would index, plus the whole entry as
 * JSON. Built from the server's own stored entry, so both sides hold the very same events.
 * {@code receivedAt}: the server's receive time, where the entry has one (R2 purges by it).
 */
record EventRow(String workspace, long seq, String id, Instant time, String type, String action, String category,
    String status, String actorType, String actorId, String actorName, String actorEmail, String resourceType,
    String resourceId, String ip, Integer httpStatus, boolean write, String json, Instant receivedAt) {

  /** Last dotted segments that make an action a write (the product's definition of "writes"). */
  static final Set<String> WRITE_VERBS = Set.of("created", "updated", "deleted", "assigned", "replied", "resolved", "reopened",
      "snoozed", "merged", "launched", "paused", "cancelled", "revoked", "invited", "removed", "role_changed", "connected",
      "disconnected", "deployed");

  static boolean isWrite(String type, String action, boolean hasChanges) {
    if (type.equals("auth")) return false;
    return hasChanges || WRITE_VERBS.contains(action.substring(action.lastIndexOf('.') + 1));
  }

  static EventRow of(JsonNode e, String json) {
    JsonNode actor = e.path("actor");
    JsonNode resource = e.path("resource");
    String type = e.get("type").asString();
    String action = e.get("action").asString();
    JsonNode http = e.path("http");
    return new EventRow(e.get("workspace").asString(), e.get("seq").asLong(), e.get("id").asString(),
        Instant.parse(e.get("time").asString()), type, action, e.get("category").asString(), e.get("status").asString(),
        text(actor, "type"), text(actor, "id"), text(actor, "name"), text(actor, "email"), text(resource, "type"),
        text(resource, "id"), text(e.path("context"), "ip"), http.has("status_code") ? http.get("status_code").asInt() : null,
        isWrite(type, action, e.has("changes")), json, e.has("received_at") ? Instant.parse(e.get("received_at").asString()) : null);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }
}
