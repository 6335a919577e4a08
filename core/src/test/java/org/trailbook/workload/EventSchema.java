package org.trailbook.workload;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Test support: a structural check of one event against the Trailbook event schema. Returns the problems found. */
final class EventSchema {
  private static final Set<String> TOP = Set.of("id", "time", "type", "action", "category", "status", "actor",
      "resource", "context", "layer", "changes", "http", "webhook", "job", "error", "summary", "metadata");
  private static final Set<String> TYPES = Set.of("api_call", "user_action", "system_event", "background_job",
      "webhook_delivery", "auth", "security", "error");
  private static final Set<String> STATUSES = Set.of("success", "failure", "warning", "pending", "in_progress");
  private static final Set<String> ACTOR_TYPES = Set.of("user", "api_key", "system", "external");
  private static final Map<String, Set<String>> OBJECT_KEYS = Map.of(
      "actor", Set.of("type", "id", "name", "email"),
      "resource", Set.of("type", "id", "name", "url"),
      "context", Set.of("ip", "user_agent", "request_id", "session_id", "location"),
      "changes", Set.of("before", "after"),
      "http", Set.of("method", "url", "status_code", "latency_ms", "request", "response"),
      "webhook", Set.of("event", "endpoint", "attempts", "retry_count"),
      "job", Set.of("name", "trigger", "duration_ms", "processed", "error"),
      "error", Set.of("message", "type", "stack"));
  private static final Pattern ID = Pattern.compile("[\\x21-\\x7e]{1,128}");
  private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
  private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)+");
  private static final Pattern CATEGORY = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:]*");
  private static final long MAX_SAFE = 1L << 53;

  private final List<String> problems = new ArrayList<>();

  private EventSchema() {}

  static List<String> problems(JsonNode event) {
    EventSchema check = new EventSchema();
    check.event(event);
    return check.problems;
  }

  private void event(JsonNode e) {
    if (!e.isObject()) {
      problems.add("not an object");
      return;
    }
    for (String key : e.propertyNames()) if (!TOP.contains(key)) problems.add("unknown key " + key);
    for (String key : List.of("id", "time", "type", "action", "status", "actor")) {
      if (!e.has(key)) problems.add("missing " + key);
    }
    string(e, "id", ID);
    time(e.get("time"), "time");
    oneOf(e, "type", TYPES);
    String action = string(e, "action", ACTION);
    if (action != null && action.length() > 128) problems.add("action too long");
    String category = string(e, "category", CATEGORY);
    if (category != null && action != null && category.equals(action.substring(0, action.indexOf('.')))) {
      problems.add("category equals its default: " + category);
    }
    oneOf(e, "status", STATUSES);
    oneOf(e, "layer", Set.of("workspace", "platform"));
    for (String name : OBJECT_KEYS.keySet()) object(e, name);
    if (e.get("actor") instanceof JsonNode actor && actor.isObject()) {
      oneOf(actor, "type", ACTOR_TYPES);
      strings(actor, "actor");
    }
    if (e.get("resource") instanceof JsonNode resource && resource.isObject()) strings(resource, "resource");
    if (e.get("context") instanceof JsonNode context && context.isObject()) {
      strings(context, "context");
      if (context.get("ip") instanceof JsonNode ip && !validIp(ip.asString())) problems.add("bad ip " + ip);
    }
    if (e.get("changes") instanceof JsonNode changes && changes.isObject()) {
      for (JsonNode side : changes) if (!side.isObject()) problems.add("changes side not an object");
    }
    if (e.get("http") instanceof JsonNode http && http.isObject()) http(http);
    if (e.get("webhook") instanceof JsonNode webhook && webhook.isObject()) webhook(webhook);
    if (e.get("job") instanceof JsonNode job && job.isObject()) {
      for (String key : List.of("name", "trigger")) if (job.has(key) && !job.get(key).isString()) problems.add("job." + key);
      for (String key : List.of("duration_ms", "processed")) if (job.has(key) && !job.get(key).isNumber()) problems.add("job." + key);
      object(job, "error");
      if (job.get("error") instanceof JsonNode error && error.isObject()) strings(error, "job.error");
    }
    if (e.get("error") instanceof JsonNode error && error.isObject()) strings(error, "error");
    if (e.has("summary") && !e.get("summary").isString()) problems.add("summary not a string");
    if (e.has("metadata") && !e.get("metadata").isObject()) problems.add("metadata not an object");
    numbers(e, "");
  }

  private void http(JsonNode http) {
    if (http.has("method") && !http.get("method").isString()) problems.add("http.method");
    if (http.has("url") && !http.get("url").isString()) problems.add("http.url");
    statusCode(http.get("status_code"), "http.status_code");
    if (http.has("latency_ms") && !http.get("latency_ms").isNumber()) problems.add("http.latency_ms");
    for (String side : List.of("request", "response")) {
      JsonNode part = http.get(side);
      if (part == null) continue;
      if (!part.isObject()) {
        problems.add("http." + side + " not an object");
        continue;
      }
      for (String key : part.propertyNames()) if (!Set.of("headers", "body").contains(key)) problems.add("unknown key http." + side + "." + key);
      if (part.get("headers") instanceof JsonNode headers) {
        if (!headers.isObject()) problems.add("headers not an object");
        else strings(headers, "http." + side + ".headers");
      }
    }
  }

  private void webhook(JsonNode webhook) {
    if (webhook.has("event") && !webhook.get("event").isString()) problems.add("webhook.event");
    if (webhook.has("endpoint") && !webhook.get("endpoint").isString()) problems.add("webhook.endpoint");
    if (webhook.has("retry_count") && !webhook.get("retry_count").isIntegralNumber()) problems.add("webhook.retry_count");
    JsonNode attempts = webhook.get("attempts");
    if (attempts == null) return;
    if (!attempts.isArray()) {
      problems.add("webhook.attempts not an array");
      return;
    }
    for (JsonNode attempt : attempts) {
      if (!attempt.isObject()) {
        problems.add("attempt not an object");
        continue;
      }
      for (String key : attempt.propertyNames()) {
        if (!Set.of("at", "status_code", "latency_ms", "error").contains(key)) problems.add("unknown key attempt." + key);
      }
      time(attempt.get("at"), "attempt.at");
      statusCode(attempt.get("status_code"), "attempt.status_code");
      if (attempt.has("latency_ms") && !attempt.get("latency_ms").isNumber()) problems.add("attempt.latency_ms");
      if (attempt.has("error") && !attempt.get("error").isString()) problems.add("attempt.error");
    }
  }

  private String string(JsonNode parent, String key, Pattern pattern) {
    JsonNode node = parent.get(key);
    if (node == null) return null;
    if (!node.isString() || !pattern.matcher(node.asString()).matches()) {
      problems.add("bad " + key + ": " + node);
      return null;
    }
    return node.asString();
  }

  private void oneOf(JsonNode parent, String key, Set<String> allowed) {
    JsonNode node = parent.get(key);
    if (node != null && !(node.isString() && allowed.contains(node.asString()))) problems.add("bad " + key + ": " + node);
  }

  private void object(JsonNode parent, String key) {
    JsonNode node = parent.get(key);
    if (node == null) return;
    if (!node.isObject()) {
      problems.add(key + " not an object");
      return;
    }
    for (String name : node.propertyNames()) {
      if (!OBJECT_KEYS.get(key).contains(name)) problems.add("unknown key " + key + "." + name);
    }
  }

  private void strings(JsonNode object, String where) {
    for (var field : object.properties()) {
      if (!field.getValue().isString()) problems.add(where + "." + field.getKey() + " not a string");
    }
  }

  private void time(JsonNode node, String where) {
    if (node == null) return;
    if (!node.isString() || !TIME.matcher(node.asString()).matches()) {
      problems.add("bad " + where + ": " + node);
      return;
    }
    try {
      Instant.parse(node.asString());
    } catch (DateTimeParseException e) {
      problems.add("bad " + where + ": " + node);
    }
  }

  private void statusCode(JsonNode node, String where) {
    if (node == null) return;
    if (!node.isIntegralNumber() || node.asLong() < 100 || node.asLong() > 599) problems.add("bad " + where + ": " + node);
  }

  private void numbers(JsonNode node, String where) {
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong() || Math.abs(node.asLong()) > MAX_SAFE) problems.add("unsafe integer at " + where);
    } else if (node.isNumber()) {
      if (!Double.isFinite(node.asDouble())) problems.add("non-finite number at " + where);
    } else if (node.isContainer()) {
      for (var field : node.properties()) numbers(field.getValue(), where + "." + field.getKey());
      if (node.isArray()) for (JsonNode item : node) numbers(item, where + "[]");
    }
  }

  private static boolean validIp(String ip) {
    if (IPV4.matcher(ip).matches()) return true;
    if (!IPV6_CHARS.matcher(ip).matches()) return false;
    try {
      return InetAddress.getByName(ip).getAddress().length == 16; // a literal with ':' is parsed, never looked up
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
