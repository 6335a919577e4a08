package org.trailbook.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.http.HttpClientForTests;
import org.trailbook.journal.Entry;
import org.trailbook.server.TestServer;
import org.trailbook.workload.GeneratedEvent;
import org.trailbook.workload.WorkloadGenerator;
import org.trailbook.workload.WorkloadSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Model-based: a few thousand varied workload events go in over HTTP; hundreds of random filter, search, paging, facet
 * and stats requests go through the HTTP API, and each answer must equal a naive in-memory evaluation
 * ({@link EventModel}) of the same semantics — exact ids in exact order, exact counts.
 */
class SearchModelTest {
  static final Instant NOW = Instant.parse("2026-11-15T12:00:00Z");
  static final String WS = "model";
  static final int EVENTS = 3000;
  @TempDir static Path dir;
  static TestServer server;
  static HttpClientForTests http;
  static String key;
  static EventModel model;

  @BeforeAll
  static void ingest() {
    server = TestServer.start(dir, Clock.fixed(NOW, ZoneOffset.UTC));
    http = server.http;
    key = server.workspaceWithKey(WS, "ingest", "read");
    WorkloadGenerator gen = new WorkloadGenerator(WorkloadSpec.singleWorkspace(42, EVENTS, WS, NOW.minus(Duration.ofMinutes(20))));
    List<GeneratedEvent> batch = new ArrayList<>();
    for (GeneratedEvent e : gen) {
      batch.add(e);
      if (batch.size() == 500) send(batch);
    }
    send(batch);
    SearchIndex index = server.server().search();
    long size = index.store().size(WS);
    assertThat(index.awaitVisible(WS, size, Duration.ofSeconds(30))).isTrue();
    List<ObjectNode> entries = new ArrayList<>();
    for (Entry e : index.store().read(WS, 0, size)) entries.add(e.json());
    model = new EventModel(entries);
  }

  static void send(List<GeneratedEvent> batch) {
    if (batch.isEmpty()) return;
    String body = batch.stream().map(e -> e.event().toString()).collect(Collectors.joining(",", "[", "]"));
    http.post("/v1/events", key, body).expect(201);
    batch.clear();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  // ------------------------------------------------------------------ random requests

  /** A request as parameters, in a fixed order (so failures are reproducible from the seed). */
  static Map<String, String> randomFilter(Random r) {
    Map<String, String> p = new LinkedHashMap<>();
    List<EventModel.Ev> evs = model.events;
    EventModel.Ev pick = evs.get(r.nextInt(evs.size()));
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(13)) {
        case 0 -> {
          if (!p.containsKey("from")) p.put("range", List.of("15m", "1h", "24h", "7d", "30d", "90d").get(r.nextInt(6)));
        }
        case 1 -> {
          if (p.containsKey("range")) break;
          long from = NOW.toEpochMilli() - (long) (r.nextDouble() * 95 * 86_400_000L);
          p.put("from", org.trailbook.Times.format(from));
          if (r.nextBoolean()) p.put("to", org.trailbook.Times.format(from + (long) (r.nextDouble() * 20 * 86_400_000L) + 1));
        }
        case 2 -> p.put("type", pick.text("type") + (r.nextBoolean() ? "," + randomEv(r).text("type") : ""));
        case 3 -> p.put("category", pick.text("category"));
        case 4 -> p.put("status", r.nextBoolean() ? pick.text("status") : "failure,warning");
        case 5 -> p.put("layer", pick.text("layer"));
        case 6 -> {
          String a = pick.text("action");
          p.put("action", r.nextBoolean() ? a : a.substring(0, a.indexOf('.') + 1) + "*");
        }
        case 7 -> {
          String v = r.nextBoolean() && pick.text("actor.email") != null ? pick.text("actor.email") : pick.text("actor.id");
          if (v != null) p.put("actor", v);
        }
        case 8 -> p.put("actor_type", pick.text("actor.type"));
        case 9 -> {
          if (pick.text("resource.type") != null) {
            p.put("resource_type", pick.text("resource.type"));
            if (r.nextBoolean()) p.put("resource_id", pick.text("resource.id"));
          }
        }
        case 10 -> {
          if (pick.text("context.ip") != null) p.put("ip", pick.text("context.ip"));
        }
        default -> p.put("q", randomQuery(r, 0));
      }
    }
    return p;
  }

  static EventModel.Ev randomEv(Random r) {
    return model.events.get(r.nextInt(model.events.size()));
  }

  static String randomQuery(Random r, int depth) {
    int clauses = 1 + r.nextInt(depth == 0 ? 3 : 2);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < clauses; i++) {
      String c = depth < 2 && r.nextInt(6) == 0 ? "(" + randomQuery(r, depth + 1) + ")" : randomClause(r);
      if (r.nextInt(5) == 0) c = "-" + c;
      parts.add(c);
    }
    return String.join(r.nextInt(3) == 0 ? " OR " : " ", parts);
  }

  static String randomClause(Random r) {
    EventModel.Ev e = randomEv(r);
    switch (r.nextInt(8)) {
      case 0, 1 -> {
        // a word, or two adjacent words as a compound or a phrase, from some value of some event
        List<String> values = e.leaves().values().stream().flatMap(List::stream).filter(JsonNode::isString).map(JsonNode::asString).toList();
        List<String> toks = EventModel.tokens(values.get(r.nextInt(values.size())));
        if (toks.isEmpty()) return "success";
        int i = r.nextInt(toks.size());
        if (i + 1 < toks.size() && r.nextBoolean()) {
          return switch (r.nextInt(3)) {
            case 0 -> toks.get(i) + "." + toks.get(i + 1);
            case 1 -> toks.get(i) + "_" + toks.get(i + 1);
            default -> "\"" + toks.get(i) + " " + toks.get(i + 1) + "\"";
          };
        }
        return r.nextInt(4) == 0 ? toks.get(i).toUpperCase(java.util.Locale.ROOT) : toks.get(i);
      }
      case 2, 3 -> {
        List<String> paths = new ArrayList<>(e.leaves().keySet());
        String path = paths.get(r.nextInt(paths.size()));
        String v = e.leaves().get(path).getFirst().asString();
        if (v.isEmpty() || v.length() > 200 || v.contains("\"") || v.contains("*") || v.startsWith(">") || v.startsWith("<")
            || !TextAnalyzer.hasToken(v) || path.contains(" ") || !path.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_@$-]+)*")) {
          return "type:" + e.text("type");
        }
        boolean plain = v.chars().noneMatch(ch -> Character.isWhitespace(ch) || ch == '(' || ch == ')' || ch == ',') && !v.startsWith("//");
        if (plain && r.nextInt(4) == 0 && v.length() > 3) return path + ":" + v.substring(0, v.length() / 2) + "*";
        if (EventModel.TEXT_PATHS.contains(path) && r.nextBoolean()) {
          List<String> toks = EventModel.tokens(v);
          return path + ":" + toks.get(r.nextInt(toks.size()));
        }
        return plain ? path + ":" + v : path + ":\"" + v + "\"";
      }
      case 4 -> {
        return "status:" + e.text("status") + "," + randomEv(r).text("status");
      }
      case 5 -> {
        String op = List.of(">", ">=", "<", "<=").get(r.nextInt(4));
        return r.nextBoolean() ? "http.status_code:" + op + List.of(200, 299, 400, 404, 500).get(r.nextInt(5))
            : "http.latency_ms:" + op + r.nextInt(2000);
      }
      case 6 -> {
        String op = List.of(">", ">=", "<", "<=", "").get(r.nextInt(5));
        String t = org.trailbook.Times.format(e.time());
        return "time:" + op + (r.nextBoolean() ? t.substring(0, 10) : t);
      }
      default -> {
        return "action:" + e.text("action").substring(0, e.text("action").indexOf('.') + 1) + "*";
      }
    }
  }

  static String url(String path, Map<String, String> params) {
    StringBuilder sb = new StringBuilder(path).append('?');
    params.forEach((k, v) -> sb.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
    return sb.toString();
  }

  static EventFilter parse(Map<String, String> params) {
    Map<String, List<String>> multi = new LinkedHashMap<>();
    params.forEach((k, v) -> multi.put(k, List.of(v)));
    return SearchParams.page(multi, WS, NOW.toEpochMilli()).filter();
  }

  // ------------------------------------------------------------------ the comparisons

  @Test
  void pagesEqualTheModel() {
    Random r = new Random(1);
    int nonEmpty = 0;
    for (int round = 0; round < 300; round++) {
      Map<String, String> p = randomFilter(r);
      boolean asc = r.nextInt(4) == 0;
      if (asc) p.put("order", "asc");
      int limit = List.of(1, 5, 20, 100, 1000).get(r.nextInt(5));
      p.put("limit", Integer.toString(limit));
      List<String> expected = model.find(parse(p), asc).stream().map(EventModel.Ev::id).toList();
      if (!expected.isEmpty()) nonEmpty++;
      List<String> actual = new ArrayList<>();
      String cursor = null;
      for (int page = 0; page < 4; page++) {
        Map<String, String> q = new LinkedHashMap<>(p);
        if (cursor != null) q.put("cursor", cursor);
        JsonNode body = http.get(url("/v1/events", q), key).expect(200).json();
        body.get("events").forEach(e -> actual.add(e.get("id").asString()));
        cursor = body.get("next_cursor").isNull() ? null : body.get("next_cursor").asString();
        if (cursor == null) break;
      }
      List<String> want = expected.subList(0, Math.min(expected.size(), 4 * limit));
      assertThat(actual).as("round %d: %s", round, p).isEqualTo(want);
      if (actual.size() < expected.size()) assertThat(cursor).as("round %d: more pages", round).isNotNull();
    }
    assertThat(nonEmpty).as("most random filters find something").isGreaterThan(150);
  }

  @Test
  void facetsAndTotalsEqualTheModel() {
    Random r = new Random(2);
    for (int round = 0; round < 150; round++) {
      Map<String, String> p = randomFilter(r);
      p.put("limit", "1");
      p.put("count", "true");
      p.put("facets", String.join(",", Fields.FACETS));
      List<EventModel.Ev> matching = model.find(parse(p), false);
      JsonNode body = http.get(url("/v1/events", p), key).expect(200).json();
      assertThat(body.get("total").asLong()).as("round %d: %s", round, p).isEqualTo(matching.size());
      assertThat(body.get("total_is_lower_bound").asBoolean()).isFalse();
      for (String dim : Fields.FACETS) {
        List<String> expected = EventModel.countBy(matching, e -> EventModel.facetValue(dim, e)).entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
            .limit(EventSearch.MAX_FACET_VALUES).map(en -> en.getKey() + "=" + en.getValue()).toList();
        List<String> actual = new ArrayList<>();
        body.get("facets").get(dim).properties().forEach(f -> actual.add(f.getKey() + "=" + f.getValue().asLong()));
        assertThat(actual).as("round %d facet %s: %s", round, dim, p).isEqualTo(expected);
      }
    }
  }

  @Test
  void statsEqualTheModel() {
    Random r = new Random(3);
    for (int round = 0; round < 120; round++) {
      Map<String, String> p = randomFilter(r);
      if (r.nextInt(3) == 0) p.put("bucket", List.of("hour", "day", "week").get(r.nextInt(3)));
      if ("hour".equals(p.get("bucket")) && !p.containsKey("range") && !(p.containsKey("from") && p.containsKey("to"))) p.remove("bucket");
      JsonNode s = http.get(url("/v1/stats", p), key).expect(200).json();
      Map<String, String> filterOnly = new LinkedHashMap<>(p);
      filterOnly.remove("bucket");
      EventFilter f = parse(filterOnly);
      assertStats(s, f, p.get("bucket"), "round " + round + ": " + p);
    }
  }

  static void assertStats(JsonNode s, EventFilter f, String bucketParam, String what) {
    List<EventModel.Ev> matching = model.find(f, false);
    long now = NOW.toEpochMilli();
    Long windowStart = f.from();
    long start;
    long end = f.to() != null ? f.to() : now;
    if (windowStart != null) {
      start = windowStart;
    } else {
      start = matching.isEmpty() ? end - 1 : matching.getLast().time();
      if (!matching.isEmpty()) end = Math.max(end, matching.getFirst().time() + 1);
    }
    if (end <= start) end = start + 1;
    Bucket bucket = bucketParam != null ? Bucket.valueOf(bucketParam.toUpperCase(java.util.Locale.ROOT)) : Bucket.forWindow(end - start);
    long first = bucket.floor(start);
    int buckets = (int) ((end - 1 - first) / bucket.millis + 1);
    long[][] series = new long[buckets][3];
    long signIns = 0;
    long writes = 0;
    for (EventModel.Ev e : matching) {
      int i = (int) Math.max(0, Math.min(buckets - 1, Math.floorDiv(e.time() - first, bucket.millis)));
      int k = EventModel.kind(e);
      series[i][(k & EventClassifier.AUTH) != 0 ? 0 : (k & EventClassifier.WRITE) != 0 ? 1 : 2]++;
      if ((k & EventClassifier.SIGN_IN) != 0) signIns++;
      if ((k & EventClassifier.WRITE) != 0) writes++;
    }
    assertThat(s.get("bucket").asString()).as(what).isEqualTo(bucket.wireName());
    assertThat(s.get("total").asLong()).as(what).isEqualTo(matching.size());
    if (windowStart != null) {
      long len = end - start;
      long previous = model.find(f.withTime(start - len, start), false).size();
      assertThat(s.get("previous_total").asLong()).as(what).isEqualTo(previous);
      if (previous == 0) assertThat(s.get("change_pct").isNull()).as(what).isTrue();
      else assertThat(s.get("change_pct").asDouble()).as(what).isEqualTo(Math.round((matching.size() - previous) * 1000.0 / previous) / 10.0);
    }
    assertThat(s.get("sign_ins").asLong()).as(what).isEqualTo(signIns);
    assertThat(s.get("writes").asLong()).as(what).isEqualTo(writes);
    assertThat(s.get("reads_other").asLong()).as(what).isEqualTo(matching.size() - signIns - writes);
    assertThat(s.get("unique_ips").asLong()).as(what).isEqualTo(EventModel.distinct(matching, "context.ip").size());
    assertThat(s.get("series")).as(what).hasSize(buckets);
    for (int i = 0; i < buckets; i++) {
      JsonNode pt = s.get("series").get(i);
      assertThat(pt.get("start").asString()).isEqualTo(org.trailbook.Times.format(first + i * bucket.millis));
      assertThat(List.of(pt.get("auth").asLong(), pt.get("writes").asLong(), pt.get("other").asLong())).as(what + " bucket " + i)
          .containsExactly(series[i][0], series[i][1], series[i][2]);
    }
    // top actors: non-system, by count, then most recent, then key
    Map<String, long[]> actors = new LinkedHashMap<>();
    Map<String, EventModel.Ev> latest = new LinkedHashMap<>();
    for (EventModel.Ev e : matching) {
      if ("system".equals(e.text("actor.type"))) continue;
      String k = EventModel.facetValue("actor", e);
      if (k == null) continue;
      long[] a = actors.computeIfAbsent(k, x -> new long[] {0, Long.MIN_VALUE});
      a[0]++;
      if (e.time() > a[1]) {
        a[1] = e.time();
        latest.put(k, e);
      }
    }
    List<String> expectedTop = actors.entrySet().stream()
        .sorted((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(b.getValue()[0], a.getValue()[0])
            : a.getValue()[1] != b.getValue()[1] ? Long.compare(b.getValue()[1], a.getValue()[1]) : a.getKey().compareTo(b.getKey()))
        .limit(Stats.TOP_ACTORS)
        .map(en -> {
          EventModel.Ev e = latest.get(en.getKey());
          return e.text("actor.id") + "|" + e.text("actor.name") + "|" + e.text("actor.email") + "|" + en.getValue()[0] + "|"
              + org.trailbook.Times.format(en.getValue()[1]);
        }).toList();
    List<String> actualTop = new ArrayList<>();
    s.get("top_actors").forEach(a -> actualTop.add(a.get("id").asString(null) + "|" + a.get("name").asString(null) + "|"
        + a.get("email").asString(null) + "|" + a.get("count").asLong() + "|" + a.get("last_seen").asString()));
    assertThat(actualTop).as(what).isEqualTo(expectedTop);
    List<String> expectedCategories = EventModel.countBy(matching, e -> e.text("category")).entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(en -> en.getKey() + "=" + en.getValue()).toList();
    List<String> actualCategories = new ArrayList<>();
    s.get("by_category").forEach(c -> actualCategories.add(c.get("category").asString() + "=" + c.get("count").asLong()));
    assertThat(actualCategories).as(what).isEqualTo(expectedCategories);
  }

  @Test
  void statsOfTheWholeWorkspaceAndTheUsualWindows() {
    for (String range : List.of("24h", "7d", "30d", "90d")) {
      Map<String, String> p = Map.of("range", range);
      assertStats(http.get(url("/v1/stats", p), key).expect(200).json(), parse(p), null, range);
    }
    assertStats(http.get("/v1/stats", key).expect(200).json(), EventFilter.all(WS), null, "all time");
    assertThat(Json.MAPPER.createObjectNode()).isNotNull();
  }
}
