package org.trailbook.search;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A plain in-memory evaluation of the search semantics (docs/search.md) over a list of canonical entries: the
 * reference the model-based test holds the index against. Deliberately naive: every query scans every event.
 */
final class EventModel {
  static final Set<String> UNINDEXED = Set.of("workspace", "prev_hash", "seq", "time", "received_at");
  static final Set<String> TEXT_PATHS = Set.of("summary", "actor.name", "actor.email", "resource.name", "resource.url", "context.user_agent",
      "context.location", "http.url", "error.message", "job.name", "job.error.message", "webhook.endpoint");
  static final List<String> WRITE_VERBS = List.of("created", "updated", "deleted", "assigned", "replied", "resolved", "reopened", "snoozed",
      "merged", "launched", "paused", "cancelled", "revoked", "invited", "removed", "role_changed", "connected", "disconnected", "deployed");

  /** One event with what the model needs precomputed. */
  record Ev(ObjectNode json, String id, long seq, long time, Map<String, List<JsonNode>> leaves) {
    String text(String field) {
      JsonNode n = json.at("/" + field.replace('.', '/'));
      return n.isString() ? n.asString() : null;
    }
  }

  final List<Ev> events = new ArrayList<>();

  EventModel(List<ObjectNode> entries) {
    for (ObjectNode e : entries) {
      Map<String, List<JsonNode>> leaves = new LinkedHashMap<>();
      e.properties().forEach(p -> {
        if (!UNINDEXED.contains(p.getKey())) collect(p.getKey(), p.getValue(), leaves);
      });
      events.add(new Ev(e, e.get("id").asString(), e.get("seq").asLong(), Instant.parse(e.get("time").asString()).toEpochMilli(), leaves));
    }
  }

  private static void collect(String path, JsonNode n, Map<String, List<JsonNode>> out) {
    if (n.isObject()) n.properties().forEach(p -> collect(path + "." + p.getKey(), p.getValue(), out));
    else if (n.isArray()) n.forEach(i -> collect(path, i, out));
    else if (n.isString() || n.isNumber() || n.isBoolean()) out.computeIfAbsent(path, k -> new ArrayList<>()).add(n);
  }

  static List<String> tokens(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    s.codePoints().forEach(cp -> {
      if (Character.isLetterOrDigit(cp)) {
        cur.appendCodePoint(Character.toLowerCase(cp));
        if (cur.length() >= 255) {
          out.add(cur.toString());
          cur.setLength(0);
        }
      } else if (!cur.isEmpty()) {
        out.add(cur.toString());
        cur.setLength(0);
      }
    });
    if (!cur.isEmpty()) out.add(cur.toString());
    return out;
  }

  static boolean containsRun(List<String> hay, List<String> needle) {
    if (needle.isEmpty()) return false;
    outer:
    for (int i = 0; i + needle.size() <= hay.size(); i++) {
      for (int j = 0; j < needle.size(); j++) if (!hay.get(i + j).equals(needle.get(j))) continue outer;
      return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ filters

  Predicate<Ev> filter(EventFilter f) {
    return e -> (f.from() == null || e.time() >= f.from())
        && (f.to() == null || e.time() < f.to())
        && in(f.types(), e.text("type")) && in(f.categories(), e.text("category")) && in(f.statuses(), e.text("status"))
        && in(f.layers(), e.text("layer")) && in(f.actorTypes(), e.text("actor.type")) && in(f.resourceTypes(), e.text("resource.type"))
        && in(f.resourceIds(), e.text("resource.id")) && in(f.ips(), e.text("context.ip"))
        && (f.actions().isEmpty() || f.actions().stream().anyMatch(a -> a.endsWith("*")
            ? e.text("action").startsWith(a.substring(0, a.length() - 1)) : e.text("action").equals(a)))
        && (f.actors().isEmpty() || in(f.actors(), e.text("actor.id")) || in(f.actors(), e.text("actor.email")))
        && (f.q() == null || matches(f.q(), e));
  }

  private static boolean in(Set<String> allowed, String value) {
    return allowed.isEmpty() || (value != null && allowed.contains(value));
  }

  List<Ev> find(EventFilter f, boolean asc) {
    Comparator<Ev> order = Comparator.comparingLong(Ev::time).thenComparingLong(Ev::seq);
    return events.stream().filter(filter(f)).sorted(asc ? order : order.reversed()).toList();
  }

  // ------------------------------------------------------------------ the search language

  boolean matches(QueryNode n, Ev e) {
    return switch (n) {
      case QueryNode.And and -> and.parts().stream().allMatch(p -> matches(p, e));
      case QueryNode.Or or -> or.parts().stream().anyMatch(p -> matches(p, e));
      case QueryNode.Not not -> !matches(not.inner(), e);
      case QueryNode.Text t -> {
        List<String> needle = tokens(t.text());
        yield e.leaves().values().stream().flatMap(List::stream).filter(v -> !v.isBoolean())
            .anyMatch(v -> containsRun(tokens(v.asString()), needle));
      }
      case QueryNode.Match m -> m.values().stream().anyMatch(v -> matchValue(m.field(), v, e));
      case QueryNode.Range r -> range(r, e);
    };
  }

  private boolean matchValue(String field, QueryNode.Value v, Ev e) {
    if (field.equals("time")) {
      TimeValue t = TimeValue.parse(v.text()).orElseThrow();
      return e.time() >= t.start() && e.time() < t.end();
    }
    if (field.equals("actor")) return matchValue("actor.id", v, e) || matchValue("actor.email", v, e);
    String path = field.equals("ip") ? "context.ip" : field;
    String lower = v.text().toLowerCase(Locale.ROOT);
    for (JsonNode leaf : e.leaves().getOrDefault(path, List.of())) {
      String text = leaf.asString();
      if (text.length() <= 256) {
        String l = text.toLowerCase(Locale.ROOT);
        if (v.prefix() ? l.startsWith(lower) : l.equals(lower)) return true;
      }
      if (v.prefix()) continue;
      Double d = v.phrase() ? null : parseNumber(v.text());
      if (d != null && leaf.isNumber() && leaf.asDouble() == d) return true;
      if (TEXT_PATHS.contains(path) && leaf.isString() && containsRun(tokens(text), tokens(v.text()))) return true;
    }
    return false;
  }

  private boolean range(QueryNode.Range r, Ev e) {
    if (r.field().equals("time")) {
      TimeValue t = TimeValue.parse(r.value()).orElseThrow();
      return switch (r.op()) {
        case GT -> e.time() >= t.end();
        case GE -> e.time() >= t.start();
        case LT -> e.time() < t.start();
        case LE -> e.time() < t.end();
      };
    }
    double d = parseNumber(r.value());
    for (JsonNode leaf : e.leaves().getOrDefault(r.field(), List.of())) {
      if (!leaf.isNumber()) continue;
      double x = leaf.asDouble();
      boolean ok = switch (r.op()) {
        case GT -> x > d;
        case GE -> x >= d;
        case LT -> x < d;
        case LE -> x <= d;
      };
      if (ok) return true;
    }
    return false;
  }

  private static Double parseNumber(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException ex) {
      return null;
    }
  }

  // ------------------------------------------------------------------ facets and stats

  static String facetValue(String dim, Ev e) {
    return switch (dim) {
      case "actor" -> e.text("actor.id") != null ? e.text("actor.id") : e.text("actor.email") != null ? e.text("actor.email") : e.text("actor.name");
      case "actor_type" -> e.text("actor.type");
      case "resource_type" -> e.text("resource.type");
      default -> e.text(dim);
    };
  }

  static int kind(Ev e) {
    int k = 0;
    String type = e.text("type");
    String action = e.text("action");
    if (type.equals("auth")) k |= EventClassifier.AUTH;
    if (Set.of("auth.login", "auth.sign_in", "auth.signed_in").contains(action)) {
      k |= EventClassifier.SIGN_IN;
    } else if (!type.equals("auth")) {
      String last = action.substring(action.lastIndexOf('.') + 1);
      if (WRITE_VERBS.contains(last) || (e.json().has("changes") && !e.json().get("changes").isNull())) k |= EventClassifier.WRITE;
    }
    return k;
  }

  static Set<String> distinct(List<Ev> evs, String field) {
    Set<String> out = new HashSet<>();
    for (Ev e : evs) if (e.text(field) != null) out.add(e.text(field));
    return out;
  }

  static Map<String, Long> countBy(List<Ev> evs, java.util.function.Function<Ev, String> key) {
    Map<String, Long> out = new HashMap<>();
    for (Ev e : evs) {
      String k = key.apply(e);
      if (k != null) out.merge(k, 1L, Long::sum);
    }
    return out;
  }
}
