package org.trailbook.event;

import org.trailbook.Times;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.trailbook.InvalidInputException;
import org.trailbook.Problem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validates a batch of raw events against the event schema and turns each into its normalized form:
 * defaults applied, time in UTC milliseconds, IPs canonical, {@code changes.fields} derived,
 * secrets redacted, summary generated. All-or-nothing: any problem in any event rejects the batch
 * with {@code invalid_event} listing up to {@value #MAX_PROBLEMS} problems. Thread-safe.
 */
public final class EventNormalizer {
  /** Problems listed at most in one error. */
  public static final int MAX_PROBLEMS = 100;

  static final int ID_CHARS = 128;
  static final int ACTION_CHARS = 128;
  static final int CATEGORY_CHARS = 64;
  static final int TYPE_CHARS = 64;
  static final int NAME_CHARS = 512;
  static final int URL_CHARS = 8_192;
  static final int USER_AGENT_CHARS = 2_048;
  static final int KEY_CHARS = 1_024;
  static final int METHOD_CHARS = 32;
  /** 2^53: larger integers cannot be represented exactly as IEEE-754 doubles (I-JSON). */
  static final long MAX_SAFE_INTEGER = 1L << 53;

  static final String UNKNOWN = "unknown field; put custom data in metadata";
  static final String SERVER_ASSIGNED = "is assigned by the server";
  static final String STATUS_RULE = "must be one of success, failure, warning, pending, in_progress";
  static final String I_JSON_INTEGER = "must be an integer between -(2^53) and 2^53 (I-JSON)";

  private static final Set<String> TOP =
      Set.of("id", "time", "type", "action", "category", "status", "actor", "resource", "context",
          "layer", "changes", "http", "webhook", "job", "error", "summary", "metadata");
  /** The category of the log's own access trail, which only the server writes. */
  private static final String AUDIT_LOG = "audit_log";
  private static final Set<String> SERVER_FIELDS = Set.of("workspace", "seq", "received_at", "prev_hash");
  private static final Set<String> STATUSES = Set.of("success", "failure", "warning", "pending", "in_progress");
  private static final Set<String> ACTOR_TYPES = Set.of("user", "api_key", "system", "external");
  private static final Set<String> ACTOR_KEYS = Set.of("type", "id", "name", "email");
  private static final Set<String> RESOURCE_KEYS = Set.of("type", "id", "name", "url");
  private static final Set<String> CONTEXT_KEYS = Set.of("ip", "user_agent", "request_id", "session_id", "location");
  private static final Set<String> CHANGES_KEYS = Set.of("before", "after");
  private static final Set<String> HTTP_KEYS = Set.of("method", "url", "status_code", "latency_ms", "request", "response");
  private static final Set<String> MESSAGE_KEYS = Set.of("headers", "body");
  private static final Set<String> WEBHOOK_KEYS = Set.of("event", "endpoint", "attempts", "retry_count");
  private static final Set<String> ATTEMPT_KEYS = Set.of("at", "status_code", "latency_ms", "error");
  private static final Set<String> JOB_KEYS = Set.of("name", "trigger", "duration_ms", "processed", "error");
  private static final Set<String> ERROR_KEYS = Set.of("message", "type", "stack");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Limits limits;
  private final Redactor redactor;
  private final UuidV7 ids;

  public EventNormalizer(Limits limits, Redactor redactor, UuidV7 ids) {
    this.limits = limits;
    this.redactor = redactor;
    this.ids = ids;
  }

  /** Default limits and redaction rules. */
  public EventNormalizer() {
    this(Limits.DEFAULTS, new Redactor(RedactionRules.DEFAULTS), new UuidV7());
  }

  /**
   * Validates and normalizes the whole batch, in order. {@code receivedAt} is the default {@code
   * time}. Does not add {@code workspace}, {@code seq}, {@code received_at} or {@code prev_hash}.
   * Free-form parts of the raw events (metadata, bodies…) are reused and redacted in place.
   *
   * @throws InvalidInputException {@code invalid_event} if any event breaks a rule; nothing is
   *     returned for the others
   */
  public List<ObjectNode> normalize(List<RawEvent> batch, Instant receivedAt) {
    return normalize(batch, receivedAt, false);
  }

  /**
   * As {@link #normalize(List, Instant)} for events a client sent, which may not write the log's own access trail:
   * category {@code audit_log} (given, or the default of an action {@code audit_log.…}) and ids starting with {@value
   * #RESERVED_ID_PREFIX} are the server's alone, so no client can make its entries outlive retention as access trail
   * or take the id of a record the server will write (a purge's).
   */
  public List<ObjectNode> normalizeFromClient(List<RawEvent> batch, Instant receivedAt) {
    return normalize(batch, receivedAt, true);
  }

  /** Ids the server gives the entries it writes with a fixed id (purge records); refused from clients. */
  public static final String RESERVED_ID_PREFIX = "trailbook:";

  private List<ObjectNode> normalize(List<RawEvent> batch, Instant receivedAt, boolean fromClient) {
    String received = Times.format(receivedAt.toEpochMilli());
    Problems problems = new Problems();
    List<ObjectNode> out = new ArrayList<>(batch.size());
    int invalid = 0;
    for (RawEvent raw : batch) {
      int before = problems.count;
      ObjectNode event = new Check(raw.index(), problems, fromClient).event(raw.event(), received);
      if (problems.count > before) {
        invalid++;
      } else {
        out.add(event);
      }
    }
    if (invalid > 0) {
      String message =
          (invalid == 1 ? "1 event is invalid" : invalid + " events are invalid") + "; nothing was stored";
      if (problems.count > MAX_PROBLEMS) {
        message += " (" + problems.count + " problems; the first " + MAX_PROBLEMS + " are listed)";
      }
      throw new InvalidInputException("invalid_event", message, problems.list);
    }
    return out;
  }

  /** All problems of a batch; counts them all, keeps the first {@link #MAX_PROBLEMS}. */
  private static final class Problems {
    final List<Problem> list = new ArrayList<>();
    int count;

    void add(int index, FieldPath path, String problem) {
      count++;
      if (list.size() < MAX_PROBLEMS) list.add(new Problem(index, path.toString(), problem));
    }
  }

  /** The checks of one event; each method reports its problems and returns the normalized value or null. */
  private final class Check {
    private final int index;
    private final Problems problems;
    private final boolean fromClient;
    private int found;

    Check(int index, Problems problems, boolean fromClient) {
      this.index = index;
      this.problems = problems;
      this.fromClient = fromClient;
    }

    ObjectNode event(ObjectNode in, String received) {
      FieldPath root = FieldPath.ROOT;
      for (String key : in.propertyNames()) {
        if (!TOP.contains(key)) problem(root.child(key), SERVER_FIELDS.contains(key) ? SERVER_ASSIGNED : UNKNOWN);
      }
      ObjectNode out = NODES.objectNode();

      JsonNode v = given(in, "id");
      String id = v == null ? null : text(v, root.child("id"));
      if (id != null && !isId(id)) {
        problem(root.child("id"), "must be 1–128 characters of A–Z, a–z, 0–9 and - _ . : ~ @ + =");
      }
      if (fromClient && id != null && id.startsWith(RESERVED_ID_PREFIX)) {
        problem(root.child("id"), "must not start with '" + RESERVED_ID_PREFIX + "': such ids are reserved for entries the server writes");
      }
      out.put("id", id != null ? id : ids.nextString());

      v = given(in, "time");
      out.put("time", v == null ? received : time(v, root.child("time")));

      v = given(in, "type");
      String type = v == null ? "user_action" : text(v, root.child("type"));
      if (type != null && !isLowerSnake(type)) {
        problem(root.child("type"), "must be a lower_snake_case word: a–z first, then up to 63 of a–z, 0–9 and _");
      }
      out.put("type", type);

      v = given(in, "action");
      String action = null;
      if (v == null) {
        problem(root.child("action"), "is required");
      } else {
        action = text(v, root.child("action"));
        if (action != null && !isAction(action)) {
          problem(root.child("action"),
              "must be 1–128 characters: segments of A–Z, a–z, 0–9, _ and - joined by single dots (e.g. campaign.launched)");
          action = null;
        }
      }
      out.put("action", action);

      v = given(in, "category");
      String category;
      if (v != null) {
        category = text(v, root.child("category"));
        if (category != null && !isWord(category, CATEGORY_CHARS)) {
          problem(root.child("category"), "must be 1–64 characters of A–Z, a–z, 0–9, _ and -");
        }
      } else {
        category = action == null ? null : defaultCategory(action);
      }
      if (fromClient && AUDIT_LOG.equals(category)) {
        problem(root.child(v == null ? "action" : "category"), "must not be (or, for an action, default to) category '" + AUDIT_LOG
            + "': the log's own access trail is written by the server alone");
      }
      out.put("category", category);

      v = given(in, "status");
      String status = v == null ? "success" : text(v, root.child("status"));
      if (status != null && !STATUSES.contains(status)) problem(root.child("status"), STATUS_RULE);
      out.put("status", status);

      v = given(in, "layer");
      String layer = v == null ? "workspace" : text(v, root.child("layer"));
      if (layer != null && !layer.equals("workspace") && !layer.equals("platform")) {
        problem(root.child("layer"), "must be one of workspace, platform");
      }
      out.put("layer", layer);
      out.putNull("summary"); // keeps its place; filled in last

      v = given(in, "actor");
      out.set("actor", v == null ? systemActor() : actor(v, root.child("actor")));
      setIfGiven(out, "resource", in, v2 -> resource(v2, root.child("resource")));
      setIfGiven(out, "context", in, v2 -> context(v2, root.child("context")));
      setIfGiven(out, "changes", in, v2 -> changes(v2, root.child("changes")));
      setIfGiven(out, "http", in, v2 -> http(v2, root.child("http")));
      setIfGiven(out, "webhook", in, v2 -> webhook(v2, root.child("webhook")));
      setIfGiven(out, "job", in, v2 -> job(v2, root.child("job")));
      setIfGiven(out, "error", in, v2 -> error(v2, root.child("error")));
      v = given(in, "metadata");
      if (v != null && object(v, root.child("metadata")) != null) {
        free(v, root.child("metadata"));
        out.set("metadata", v);
      }

      v = given(in, "summary");
      String summary = null;
      if (v != null) {
        summary = string(v, root.child("summary"), SummaryGenerator.MAX_CHARS);
        if (summary != null && (summary.indexOf('\n') >= 0 || summary.indexOf('\r') >= 0)) {
          problem(root.child("summary"), "must be a single line");
        }
      }
      if (found > 0) return null;
      redactor.redactEvent(out);
      out.put("summary", summary != null ? redactor.redactText(summary) : SummaryGenerator.summarize(out));
      return out;
    }

    private ObjectNode systemActor() {
      return NODES.objectNode().put("type", "system").put("name", "System");
    }

    private ObjectNode actor(JsonNode v, FieldPath path) {
      ObjectNode in = schemaObject(v, path, ACTOR_KEYS);
      if (in == null) return null;
      ObjectNode out = NODES.objectNode();
      JsonNode type = given(in, "type");
      String t = type == null ? "user" : text(type, path.child("type"));
      if (t != null && !ACTOR_TYPES.contains(t)) problem(path.child("type"), "must be one of user, api_key, system, external");
      out.put("type", t);
      copyStrings(in, out, path, NAME_CHARS, "id", "name", "email");
      return out;
    }

    private ObjectNode resource(JsonNode v, FieldPath path) {
      ObjectNode in = schemaObject(v, path, RESOURCE_KEYS);
      if (in == null) return null;
      ObjectNode out = NODES.objectNode();
      copyStrings(in, out, path, NAME_CHARS, "type", "id", "name");
      copyStrings(in, out, path, URL_CHARS, "url");
      return out;
    }

    private ObjectNode context(JsonNode v, FieldPath path) {
      ObjectNode in = schemaObject(v, path, CONTEXT_KEYS);
      if (in == null) return null;
      ObjectNode out = NODES.objectNode();
      JsonNode ip = given(in, "ip");
      if (ip != null) {
        String text = text(ip, path.child("ip"));
        String normalized = text == null ? null : IpAddresses.normalize(text);
        if (text != null && normalized == null) problem(path.child("ip"), "must be an IPv4 or IPv6 address literal");
        out.put("ip", normalized);
      }
      copyStrings(in, out, path, USER_AGENT_CHARS, "user_agent");
      copyStrings(in, out, path, NAME_CHARS, "request_id", "session_id");
      JsonNode location = given(in, "location");
      if (location != null) {
        if (location.isString()) {
          out.put("location", string(location, path.child("location"), NAME_CHARS));
        } else if (location.isObject()) {
          free(location, path.child("location"));
          out.set("location", location);
        } else {
          problem(path.child("location"), "must be a string or an object");
        }
      }
      return out;
    }

    private ObjectNode changes(JsonNode v, FieldPath path) {
      if (!v.isObject()) {
        problem(path, "must be an object");
        return null;
      }
      for (String key : v.propertyNames()) {
        if (key.equals("fields")) {
          problem(path.child(key), "is computed by the server; send only before and after");
        } else if (!CHANGES_KEYS.contains(key)) {
          problem(path.child(key), UNKNOWN);
        }
      }
      JsonNode before = given((ObjectNode) v, "before");
      JsonNode after = given((ObjectNode) v, "after");
      if (before == null && after == null) {
        problem(path, "must have before, after or both");
        return null;
      }
      ObjectNode out = NODES.objectNode();
      for (String side : new String[] {"before", "after"}) {
        JsonNode value = side.equals("before") ? before : after;
        if (value != null && object(value, path.child(side)) != null) {
          free(value, path.child(side));
          out.set(side, value);
        }
      }
      ArrayNode fields = out.putArray("fields"); // derived before redaction: a changed secret still shows
      for (String field : ChangedFields.between(before, after)) fields.add(field);
      return out;
    }

    private ObjectNode http(JsonNode v, FieldPath path) {
      ObjectNode in = schemaObject(v, path, HTTP_KEYS);
      if (in == null) return null;
      ObjectNode out = NODES.objectNode();
      JsonNode method = given(in, "method");
      if (method != null) {
        String m = text(method, path.child("method"));
        if (m != null && !isMethod(m)) {
          problem(path.child("method"), "must be 1–32 letters or -, like GET or POST");
        }
        out.put("method", m == null ? null : m.toUpperCase(Locale.ROOT));
      }
      copyStrings(in, out, path, URL_CHARS, "url");
      statusCode(in, out, path);
      nonNegativeNumber(in, out, path, "latency_ms");
      for (String side : new String[] {"request", "response"}) {
        JsonNode message = given(in, side);
        if (message != null) out.set(side, message(message, path.child(side)));
      }
      return out;
    }

    private ObjectNode message(JsonNode v, FieldPath path) {
      ObjectNode in = schemaObject(v, path, MESSAGE_KEYS);
      if (in == null) return null;
      ObjectNode out = NODES.objectNode();
      JsonNode headers = given(in, "headers");
      if (headers != null && object(headers, path.child("headers")) != null) {
        for (Map.Entry<String, JsonNode> e : headers.properties()) {
          FieldPath h = path.child("headers").child(e.getKey());
          key(e.getKey(), h);
          JsonNode value = e.getValue();
          if (value.isString()) {
            string(value, h, limits.maxStringChars());
          } else if (value.isArray()) {
            int i = 0;
            for (JsonNode item : value) {
              if (item.isString()) {
                string(item, h.at(i), limits.maxStringChars());
              } else {
                problem(h.at(i), "must be a string");
              }
              i++;
            }
          } else {
            problem(h, "must be a string or an array of strings");
          }
        }
        out.set("headers", headers);
      }
      JsonNode body = in.get("body");
      if (body != null) {
        free(body, path.child("body"));
        out.set("body", body);
      }
      return out;
    }

    private ObjectNode webhook(JsonNode v, FieldPath path) {
      ObjectNode in = schemaObject(v, path, WEBHOOK_KEYS);
      if (in == null) return null;
      ObjectNode out = NODES.objectNode();
      copyStrings(in, out, path, NAME_CHARS, "event");
      copyStrings(in, out, path, URL_CHARS, "endpoint");
      JsonNode attempts = given(in, "attempts");
      if (attempts != null) {
        if (!attempts.isArray()) {
          problem(path.child("attempts"), "must be an array");
        } else {
          ArrayNode list = out.putArray("attempts");
          for (int i = 0; i < attempts.size(); i++) {
            FieldPath at = path.child("attempts").at(i);
            ObjectNode attempt = schemaObject(attempts.get(i), at, ATTEMPT_KEYS);
            if (attempt == null) continue;
            ObjectNode a = NODES.objectNode();
            JsonNode when = given(attempt, "at");
            if (when != null) a.put("at", time(when, at.child("at")));
            statusCode(attempt, a, at);
            nonNegativeNumber(attempt, a, at, "latency_ms");
            copyStrings(attempt, a, at, limits.maxStringChars(), "error");
            list.add(a);
          }
        }
      }
      nonNegativeInteger(in, out, path, "retry_count");
      return out;
    }

    private ObjectNode job(JsonNode v, FieldPath path) {
      ObjectNode in = schemaObject(v, path, JOB_KEYS);
      if (in == null) return null;
      ObjectNode out = NODES.objectNode();
      copyStrings(in, out, path, NAME_CHARS, "name", "trigger");
      nonNegativeNumber(in, out, path, "duration_ms");
      nonNegativeInteger(in, out, path, "processed");
      JsonNode error = given(in, "error");
      if (error != null) out.set("error", error(error, path.child("error")));
      return out;
    }

    private ObjectNode error(JsonNode v, FieldPath path) {
      ObjectNode in = schemaObject(v, path, ERROR_KEYS);
      if (in == null) return null;
      ObjectNode out = NODES.objectNode();
      copyStrings(in, out, path, limits.maxStringChars(), "message");
      copyStrings(in, out, path, NAME_CHARS, "type");
      copyStrings(in, out, path, limits.maxStringChars(), "stack");
      return out;
    }

    // ---- building blocks ----

    private void setIfGiven(ObjectNode out, String field, ObjectNode in, java.util.function.Function<JsonNode, ObjectNode> check) {
      JsonNode v = given(in, field);
      if (v != null) out.set(field, check.apply(v));
    }

    /** An object of a fixed schema: reports a wrong type and unknown keys. */
    private ObjectNode schemaObject(JsonNode v, FieldPath path, Set<String> allowed) {
      ObjectNode object = object(v, path);
      if (object == null) return null;
      for (String key : object.propertyNames()) {
        if (!allowed.contains(key)) problem(path.child(key), UNKNOWN);
      }
      return object;
    }

    private ObjectNode object(JsonNode v, FieldPath path) {
      if (v instanceof ObjectNode object) return object;
      problem(path, "must be an object");
      return null;
    }

    private void copyStrings(ObjectNode in, ObjectNode out, FieldPath path, int max, String... fields) {
      for (String field : fields) {
        JsonNode v = given(in, field);
        if (v != null) out.put(field, string(v, path.child(field), max));
      }
    }

    /** A string of at most {@code max} characters without unpaired surrogates, or null. */
    private String string(JsonNode v, FieldPath path, int max) {
      String s = text(v, path);
      if (s == null) return null;
      if (s.length() > max) {
        problem(path, "must be at most " + max + " characters");
        return null;
      }
      if (!wellFormed(s)) {
        problem(path, "must not contain unpaired surrogates (I-JSON)");
        return null;
      }
      return s;
    }

    private String text(JsonNode v, FieldPath path) {
      if (v.isString()) return v.stringValue();
      problem(path, "must be a string");
      return null;
    }

    private String time(JsonNode v, FieldPath path) {
      String s = text(v, path);
      if (s == null) return null;
      long millis = Timestamps.parseMillis(s);
      if (millis == Timestamps.INVALID) {
        problem(path, "must be an RFC 3339 date-time with an offset, like 2024-05-01T12:00:00Z");
        return null;
      }
      if (!Timestamps.inRange(millis)) {
        problem(path, "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
        return null;
      }
      return Times.format(millis);
    }

    private void statusCode(ObjectNode in, ObjectNode out, FieldPath path) {
      JsonNode v = given(in, "status_code");
      if (v == null) return;
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 100 || v.longValue() > 599) {
        problem(path.child("status_code"), "must be an integer between 100 and 599");
        return;
      }
      out.set("status_code", v);
    }

    private void nonNegativeInteger(ObjectNode in, ObjectNode out, FieldPath path, String field) {
      JsonNode v = given(in, field);
      if (v == null) return;
      if (!v.isIntegralNumber()) {
        problem(path.child(field), "must be an integer");
      } else if (!safeInteger(v)) {
        problem(path.child(field), I_JSON_INTEGER);
      } else if (v.longValue() < 0) {
        problem(path.child(field), "must be an integer of at least 0");
      } else {
        out.set(field, v);
      }
    }

    private void nonNegativeNumber(ObjectNode in, ObjectNode out, FieldPath path, String field) {
      JsonNode v = given(in, field);
      if (v == null) return;
      if (!v.isNumber()) {
        problem(path.child(field), "must be a number");
      } else if (number(v, path.child(field))) {
        if (v.doubleValue() < 0) {
          problem(path.child(field), "must be a number of at least 0");
        } else {
          out.set(field, v);
        }
      }
    }

    /** Whether a number node is representable in I-JSON; reports it if not. */
    private boolean number(JsonNode v, FieldPath path) {
      if (v.isIntegralNumber()) {
        if (safeInteger(v)) return true;
        problem(path, I_JSON_INTEGER);
        return false;
      }
      if (Double.isFinite(v.doubleValue())) return true;
      problem(path, "must be a finite number (I-JSON)");
      return false;
    }

    /** Checks a free-form value: string lengths, key lengths, numbers; any key is allowed. */
    private void free(JsonNode v, FieldPath path) {
      switch (v.getNodeType()) {
        case STRING -> string(v, path, limits.maxStringChars());
        case NUMBER -> number(v, path);
        case OBJECT -> {
          for (Map.Entry<String, JsonNode> e : v.properties()) {
            FieldPath child = path.child(e.getKey());
            key(e.getKey(), child);
            free(e.getValue(), child);
          }
        }
        case ARRAY -> {
          for (int i = 0; i < v.size(); i++) free(v.get(i), path.at(i));
        }
        default -> {}
      }
    }

    private void key(String key, FieldPath path) {
      if (key.length() > KEY_CHARS) {
        problem(path, "has a key longer than " + KEY_CHARS + " characters");
      } else if (!wellFormed(key)) {
        problem(path, "has a key with unpaired surrogates (I-JSON)");
      }
    }

    private void problem(FieldPath path, String problem) {
      found++;
      problems.add(index, path, problem);
    }
  }

  /** The value of {@code field}, or null when it is absent or JSON null (null means "not given"). */
  private static JsonNode given(ObjectNode in, String field) {
    JsonNode v = in.get(field);
    return v == null || v.isNull() ? null : v;
  }

  private static boolean safeInteger(JsonNode v) {
    if (v.isBigInteger() || !v.canConvertToLong()) return false;
    long n = v.longValue();
    return n >= -MAX_SAFE_INTEGER && n <= MAX_SAFE_INTEGER;
  }

  static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  static boolean isId(String s) {
    if (s.isEmpty() || s.length() > ID_CHARS) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isWordChar(c) && ".:~@+=".indexOf(c) < 0) return false;
    }
    return true;
  }

  static boolean isLowerSnake(String s) {
    if (s.isEmpty() || s.length() > TYPE_CHARS) return false;
    char first = s.charAt(0);
    if (first < 'a' || first > 'z') return false;
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) return false;
    }
    return true;
  }

  static boolean isAction(String s) {
    if (s.isEmpty() || s.length() > ACTION_CHARS) return false;
    boolean segmentEmpty = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.') {
        if (segmentEmpty) return false;
        segmentEmpty = true;
      } else if (isWordChar(c)) {
        segmentEmpty = false;
      } else {
        return false;
      }
    }
    return !segmentEmpty;
  }

  static boolean isWord(String s, int max) {
    if (s.isEmpty() || s.length() > max) return false;
    for (int i = 0; i < s.length(); i++) if (!isWordChar(s.charAt(i))) return false;
    return true;
  }

  private static boolean isMethod(String s) {
    if (s.isEmpty() || s.length() > METHOD_CHARS) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-')) return false;
    }
    return true;
  }

  private static boolean isWordChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
  }

  /** The part of the action before its first dot, cut to 64 characters. */
  static String defaultCategory(String action) {
    int dot = action.indexOf('.');
    String first = dot < 0 ? action : action.substring(0, dot);
    return first.length() > CATEGORY_CHARS ? first.substring(0, CATEGORY_CHARS) : first;
  }
}
