package org.trailbook.http;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import org.trailbook.InvalidInputException;
import org.trailbook.Problem;
import org.trailbook.retention.RetentionPolicy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The request bodies of the retention routes, read strictly: unknown fields, missing ones and wrong types are a 400 naming the field. */
final class RetentionBodies {
  private RetentionBodies() {}

  /** A hold to place: a reason and an optional end. */
  record HoldRequest(String reason, Instant endsAt) {}

  /** {@code {"days": 90|null, "archive": true|false}}, both required. */
  static RetentionPolicy policy(ObjectNode body) {
    only(body, "days", "archive");
    Integer days = days(body, "days");
    JsonNode archive = required(body, "archive", "true or false");
    if (!archive.isBoolean()) throw invalid("archive", "must be true or false");
    return new RetentionPolicy(days, archive.booleanValue());
  }

  /** {@code {"max_days": 90|null}}. */
  static Integer planMaximum(ObjectNode body) {
    only(body, "max_days");
    return days(body, "max_days");
  }

  /** {@code {"plan": "growth"|null}}. */
  static String planName(ObjectNode body) {
    only(body, "plan");
    JsonNode n = required(body, "plan", "a plan's name, or null for none");
    if (n.isNull()) return null;
    if (!n.isString()) throw invalid("plan", "must be a plan's name (a string), or null for none");
    return n.stringValue();
  }

  /** {@code {"reason": "...", "ends_at": "RFC 3339"?}}. */
  static HoldRequest hold(ObjectNode body) {
    only(body, "reason", "ends_at");
    JsonNode reason = required(body, "reason", "a string saying why the workspace is held");
    if (!reason.isString()) throw invalid("reason", "must be a string");
    JsonNode ends = body.get("ends_at");
    Instant endsAt = null;
    if (ends != null && !ends.isNull()) {
      if (!ends.isString()) throw invalid("ends_at", "must be an RFC 3339 date-time such as 2027-01-31T00:00:00Z");
      try {
        endsAt = OffsetDateTime.parse(ends.stringValue()).toInstant();
      } catch (DateTimeParseException e) {
        throw invalid("ends_at", "must be an RFC 3339 date-time such as 2027-01-31T00:00:00Z");
      }
    }
    return new HoldRequest(reason.stringValue(), endsAt);
  }

  /** A number of days: required, a whole number, or null for unlimited (the range is the service's rule). */
  private static Integer days(ObjectNode body, String field) {
    JsonNode n = required(body, field, "a whole number of days, or null for unlimited");
    if (n.isNull()) return null;
    if (!n.isIntegralNumber()) throw invalid(field, "must be a whole number of days, or null for unlimited");
    // beyond an int is beyond the range: the service names the range
    return n.canConvertToInt() ? n.intValue() : Integer.MAX_VALUE;
  }

  private static JsonNode required(ObjectNode body, String field, String what) {
    JsonNode n = body.get(field);
    if (n == null) throw invalid(field, "is required: " + what);
    return n;
  }

  private static void only(ObjectNode body, String... fields) {
    Set<String> known = Set.of(fields);
    for (String name : body.propertyNames()) {
      if (!known.contains(name)) throw invalid(name, "is not a known field; send only " + String.join(", ", fields));
    }
  }

  private static InvalidInputException invalid(String field, String rule) {
    return new InvalidInputException("invalid_request", "the request is invalid", List.of(Problem.of(field, rule)));
  }
}
