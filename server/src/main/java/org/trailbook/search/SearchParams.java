package org.trailbook.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.trailbook.InvalidInputException;
import org.trailbook.Problem;

/**
 * Reads the query parameters of {@code GET /v1/events} and {@code GET /v1/stats} strictly: every bad or unknown
 * parameter answers 400 naming the parameter and the rule. Multi-value parameters may be repeated or comma-separated;
 * empty values are ignored.
 */
public final class SearchParams {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 1000;
  public static final int MAX_VALUES = 100;
  static final Map<String, Long> RANGES = Map.of(
      "15m", 15 * 60_000L, "1h", 3_600_000L, "24h", 86_400_000L, "7d", 7 * 86_400_000L, "30d", 30 * 86_400_000L, "90d", 90 * 86_400_000L);
  static final Set<String> STATUSES = Set.of("success", "failure", "warning", "pending", "in_progress");
  static final Set<String> LAYERS = Set.of("workspace", "platform");
  static final Set<String> ACTOR_TYPES = Set.of("user", "api_key", "system", "external");
  private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final Set<String> FILTERS = Set.of("range", "from", "to", "type", "category", "status", "layer", "action", "actor",
      "actor_type", "resource_type", "resource_id", "ip", "scope", "q");
  private static final Set<String> PAGE = Set.of("order", "limit", "cursor", "facets", "count");
  private static final Set<String> STATS = Set.of("bucket");

  private final Map<String, List<String>> params;

  private SearchParams(Map<String, List<String>> params) {
    this.params = params;
  }

  /** The parameters of {@code GET /v1/events}; {@code now} resolves {@code range}. */
  public static PageRequest page(Map<String, List<String>> params, String workspace, long now) {
    SearchParams p = new SearchParams(params);
    p.known(PAGE);
    EventFilter filter = p.filter(workspace, now);
    String order = p.single("order");
    boolean asc = false;
    if (order != null) {
      if (!order.equals("desc") && !order.equals("asc")) throw bad("order", "must be 'desc' or 'asc'");
      asc = order.equals("asc");
    }
    int limit = DEFAULT_LIMIT;
    String l = p.single("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) throw bad("limit", "must be an integer from 1 to " + MAX_LIMIT);
    }
    String c = p.single("cursor");
    Cursor cursor = c == null ? null : Cursor.decode(c);
    List<String> facets = new ArrayList<>(p.values("facets"));
    for (String f : facets) if (!Fields.FACETS.contains(f)) throw bad("facets", "'" + f + "' is not one of " + String.join(", ", Fields.FACETS));
    String count = p.single("count");
    if (count != null && !count.equals("true") && !count.equals("false")) throw bad("count", "must be 'true' or 'false'");
    return new PageRequest(filter, asc, limit, cursor, facets, "true".equals(count));
  }

  /** The parameters of {@code GET /v1/stats}: the window ends now unless {@code to} is given. */
  public static StatsRequest stats(Map<String, List<String>> params, String workspace, long now) {
    SearchParams p = new SearchParams(params);
    p.known(STATS);
    EventFilter filter = p.filter(workspace, now);
    String b = p.single("bucket");
    Bucket bucket = null;
    if (b != null) {
      try {
        bucket = Bucket.valueOf(b.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw bad("bucket", "must be 'hour', 'day' or 'week'");
      }
      if (!b.equals(bucket.wireName())) throw bad("bucket", "must be 'hour', 'day' or 'week'");
    }
    long end = filter.to() != null ? filter.to() : now;
    if (filter.from() != null && end <= filter.from()) end = filter.from() + 1;
    return new StatsRequest(filter, filter.from(), end, bucket, now);
  }

  /**
   * Only the filters (every filter of {@code GET /v1/events}, {@code q} included), for the live stream and the exports;
   * {@code extra} names the caller's own parameters, which are accepted here and read by the caller.
   */
  public static EventFilter filter(Map<String, List<String>> params, Set<String> extra, String workspace, long now) {
    SearchParams p = new SearchParams(params);
    p.known(extra);
    return p.filter(workspace, now);
  }

  /** The names of every filter parameter. */
  public static Set<String> filterNames() {
    return FILTERS;
  }

  private void known(Set<String> extra) {
    for (String name : params.keySet()) {
      if (name.isEmpty()) continue;
      if (!FILTERS.contains(name) && !extra.contains(name)) {
        List<String> all = new ArrayList<>(FILTERS);
        all.addAll(extra);
        all.sort(null);
        throw bad(name, "is not a known parameter; known are " + String.join(", ", all));
      }
    }
  }

  private EventFilter filter(String workspace, long now) {
    String range = single("range");
    Long from = time("from");
    Long to = time("to");
    if (range != null) {
      if (from != null || to != null) throw bad("range", "give either 'range' or 'from'/'to', not both");
      Long len = RANGES.get(range);
      if (len == null) throw bad("range", "must be one of 15m, 1h, 24h, 7d, 30d, 90d");
      from = now - len;
    }
    if (from != null && to != null && to <= from) throw bad("to", "must be later than 'from'");
    Set<String> types = words("type");
    Set<String> statuses = oneOf("status", STATUSES);
    Set<String> layers = oneOf("layer", LAYERS);
    Set<String> actorTypes = oneOf("actor_type", ACTOR_TYPES);
    List<String> actions = new ArrayList<>(values("action"));
    for (String a : actions) {
      int star = a.indexOf('*');
      if (star >= 0 && (star != a.length() - 1 || star == 0)) throw bad("action", "'*' is allowed only at the end, after a prefix such as campaign.*");
    }
    Set<String> actors = values("actor");
    String scope = single("scope");
    if (scope != null) {
      if (!scope.equals("mine") && !scope.equals("all")) throw bad("scope", "must be 'all' or 'mine'");
      if (scope.equals("mine") && actors.isEmpty()) throw bad("scope", "'mine' needs the caller's 'actor' (id or email)");
    }
    String q = single("q");
    QueryNode query = QueryParser.parse(q);
    return new EventFilter(workspace, from, to, types, values("category"), statuses, layers, actions, actors, actorTypes,
        values("resource_type"), values("resource_id"), values("ip"), query);
  }

  private Set<String> words(String name) {
    Set<String> v = values(name);
    for (String s : v) if (!WORD.matcher(s).matches()) throw bad(name, "'" + s + "' is not a lower_snake word");
    return v;
  }

  private Set<String> oneOf(String name, Set<String> allowed) {
    Set<String> v = values(name);
    for (String s : v) if (!allowed.contains(s)) throw bad(name, "'" + s + "' is not one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
    return v;
  }

  Set<String> values(String name) {
    Set<String> out = new LinkedHashSet<>();
    for (String raw : params.getOrDefault(name, List.of())) {
      for (String v : raw.split(",")) {
        String s = v.strip();
        if (s.isEmpty()) continue;
        if (s.length() > 1000) throw bad(name, "values must be at most 1000 characters");
        out.add(s);
      }
    }
    if (out.size() > MAX_VALUES) throw bad(name, "at most " + MAX_VALUES + " values");
    return out;
  }

  private String single(String name) {
    List<String> v = params.getOrDefault(name, List.of());
    if (v.size() > 1) throw bad(name, "must be given once");
    if (v.isEmpty() || v.getFirst().isBlank()) return null;
    return name.equals("q") ? v.getFirst() : v.getFirst().strip();
  }

  private Long time(String name) {
    String v = single(name);
    if (v == null) return null;
    return TimeValue.instant(v).orElseThrow(() -> bad(name, "must be an RFC 3339 timestamp such as 2026-11-01T00:00:00Z"));
  }

  static InvalidInputException bad(String name, String rule) {
    return new InvalidInputException("invalid_parameter", "invalid query parameter '" + name + "'", List.of(Problem.of(name, rule)));
  }
}
