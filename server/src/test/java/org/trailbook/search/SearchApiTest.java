package org.trailbook.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.http.HttpClientForTests;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/** The search behaviours the issue names, one by one, over HTTP. */
class SearchApiTest {
  static final Instant NOW = Instant.parse("2026-11-15T12:00:00Z");
  @TempDir Path dir;
  TestServer server;
  HttpClientForTests http;
  String key;

  /** Events and stats of this test's own events, without the audit_log entries that creating the workspace made. */
  static final String OWN = "layer=workspace";

  @BeforeEach
  void start() {
    server = TestServer.start(dir, Clock.fixed(NOW, ZoneOffset.UTC));
    http = server.http;
    key = server.workspaceWithKey("acme", "ingest", "read");
    post("""
        [{"id":"e1","time":"2026-11-15T11:50:00Z","action":"campaign.launched","actor":{"type":"user","id":"u_1","name":"Riley Park","email":"admin@acme.com"},
          "resource":{"type":"campaign","id":"c_42","name":"Summer Sale"},"context":{"ip":"10.0.0.1"},"metadata":{"plan":"pro","seats":12}},
         {"id":"e2","time":"2026-11-15T10:00:00Z","type":"api_call","action":"api.request","status":"failure","actor":{"type":"api_key","id":"key_9","name":"CI"},
          "http":{"method":"POST","url":"https://api.acme.com/v1/contacts","status_code":502,"latency_ms":1500,"response":{"body":{"error":"upstream timeout"}}},
          "context":{"ip":"10.0.0.2"}},
         {"id":"e3","time":"2026-11-14T09:00:00Z","type":"auth","action":"auth.login","actor":{"type":"user","id":"u_2","name":"Sam Lee","email":"sam@globex.io"},
          "context":{"ip":"10.0.0.1","user_agent":"Mozilla/5.0 Firefox/130"}},
         {"id":"e4","time":"2026-11-01T08:00:00Z","action":"contact.updated","status":"warning","actor":{"type":"user","id":"u_1","name":"Riley Park","email":"admin@acme.com"},
          "resource":{"type":"contact","id":"c_7","name":"Ada Lovelace"},"changes":{"before":{"stage":"lead"},"after":{"stage":"customer"}}},
         {"id":"e5","time":"2026-10-20T08:00:00Z","type":"error","action":"job.failed","status":"failure",
          "error":{"message":"NullPointerException in Exporter","type":"java.lang.NullPointerException","stack":"at org.acme.Exporter.run(Exporter.java:42)"}}]
        """);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  void post(String body) {
    http.post("/v1/events", key, body).expect(201);
  }

  List<String> ids(String query) {
    JsonNode page = http.get("/v1/events?limit=1000&" + query, key).expect(200).json();
    List<String> ids = new ArrayList<>();
    // creating the workspace and its key recorded audit_log events (at NOW, platform layer): not what these tests are about
    page.get("events").forEach(e -> {
      if (!e.get("category").asString().equals("audit_log")) ids.add(e.get("id").asString());
    });
    return ids;
  }

  List<String> q(String q) {
    return ids("q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
  }

  @Test
  void newestFirstByDefaultAndOldestFirstOnRequest() {
    assertThat(ids("")).containsExactly("e1", "e2", "e3", "e4", "e5");
    assertThat(ids("order=asc")).containsExactly("e5", "e4", "e3", "e2", "e1");
  }

  @Test
  void freeWordsMatchAnywhereCaseInsensitively() {
    assertThat(q("summer")).containsExactly("e1");
    assertThat(q("SALE")).containsExactly("e1");
    assertThat(q("c_42")).containsExactly("e1");
    assertThat(q("acme.com")).containsExactly("e1", "e2", "e4");
    assertThat(q("upstream")).containsExactly("e2");
    assertThat(q("Exporter.java")).containsExactly("e5");
    assertThat(q("firefox")).containsExactly("e3");
    assertThat(q("customer")).containsExactly("e4");
    assertThat(q("pro")).containsExactly("e1");
    assertThat(q("\"summer sale\"")).containsExactly("e1");
    assertThat(q("\"sale summer\"")).isEmpty();
  }

  @Test
  void fieldTermsRangesNegationAndOr() {
    assertThat(q("actor.email:admin@acme.com")).containsExactly("e1", "e4");
    assertThat(q("actor.email:ADMIN@acme.com")).containsExactly("e1", "e4");
    assertThat(q("resource.type:campaign")).containsExactly("e1");
    assertThat(q("http.method:POST")).containsExactly("e2");
    assertThat(q("metadata.plan:pro")).containsExactly("e1");
    assertThat(q("metadata.seats:>10")).containsExactly("e1");
    assertThat(q("action:campaign.*")).containsExactly("e1");
    assertThat(q("status:failure,warning")).containsExactly("e2", "e4", "e5");
    assertThat(q("-status:failure")).containsExactly("e1", "e3", "e4");
    assertThat(q("status:failure -type:error")).containsExactly("e2");
    assertThat(q("summer OR firefox")).containsExactly("e1", "e3");
    assertThat(q("(summer OR firefox) actor.id:u_2")).containsExactly("e3");
    assertThat(q("http.status_code:>=500")).containsExactly("e2");
    assertThat(q("http.status_code:502")).containsExactly("e2");
    assertThat(q("http.latency_ms:>1000")).containsExactly("e2");
    assertThat(q("http.latency_ms:>1500")).isEmpty();
    assertThat(q("time:>=2026-11-01")).containsExactly("e1", "e2", "e3", "e4");
    assertThat(q("time:>2026-11-01")).containsExactly("e1", "e2", "e3");
    assertThat(q("time:2026-11-14")).containsExactly("e3");
    assertThat(q("time:<2026-11-01T08:00:00.001Z")).containsExactly("e4", "e5");
    assertThat(q("actor.name:riley")).containsExactly("e1", "e4");
    assertThat(q("actor.name:\"Riley Park\"")).containsExactly("e1", "e4");
    assertThat(q("actor:sam@globex.io")).containsExactly("e3");
    assertThat(q("ip:10.0.0.1")).containsExactly("e1", "e3");
    assertThat(q("changes.fields:stage")).containsExactly("e4");
  }

  @Test
  void parameterFiltersCombine() {
    assertThat(ids("status=failure")).containsExactly("e2", "e5");
    assertThat(ids("status=failure&type=error")).containsExactly("e5");
    assertThat(ids("status=failure,warning")).containsExactly("e2", "e4", "e5");
    assertThat(ids("status=failure&status=warning")).containsExactly("e2", "e4", "e5");
    assertThat(ids("action=campaign.*")).containsExactly("e1");
    assertThat(ids("action=auth.login")).containsExactly("e3");
    assertThat(ids("actor=admin@acme.com")).containsExactly("e1", "e4");
    assertThat(ids("actor=u_2")).containsExactly("e3");
    assertThat(ids("scope=mine&actor=u_2")).containsExactly("e3");
    assertThat(ids("actor_type=api_key")).containsExactly("e2");
    assertThat(ids("resource_type=contact&resource_id=c_7")).containsExactly("e4");
    assertThat(ids("ip=10.0.0.1")).containsExactly("e1", "e3");
    assertThat(ids("category=campaign")).containsExactly("e1");
    assertThat(ids("layer=workspace")).hasSize(5);
    assertThat(ids("range=1h")).containsExactly("e1");
    assertThat(ids("range=24h")).containsExactly("e1", "e2");
    assertThat(ids("range=7d")).containsExactly("e1", "e2", "e3");
    assertThat(ids("range=30d")).containsExactly("e1", "e2", "e3", "e4", "e5");
    assertThat(ids("from=2026-11-01T08:00:00Z&to=2026-11-15T10:00:00Z")).containsExactly("e3", "e4");
  }

  @Test
  void facetsAndTotalForTheSameFilter() {
    JsonNode page = http.get("/v1/events?limit=1&count=true&facets=status,category,actor&q=-type:error%20-category:audit_log", key).expect(200).json();
    assertThat(page.get("events")).hasSize(1);
    assertThat(page.get("total").asLong()).isEqualTo(4);
    assertThat(page.get("total_is_lower_bound").asBoolean()).isFalse();
    assertThat(page.get("facets").get("status").toString()).isEqualTo("{\"success\":2,\"failure\":1,\"warning\":1}");
    assertThat(page.get("facets").get("actor").properties().iterator().next().toString()).isEqualTo("u_1=2");
  }

  @Test
  void totalIsExactUpToTenThousandThenALowerBound() {
    for (int b = 0; b < 20; b++) {
      StringBuilder batch = new StringBuilder("[");
      for (int i = 0; i < 500; i++) batch.append(i == 0 ? "" : ",").append("{\"action\":\"bulk.imported\",\"time\":\"2026-11-10T00:00:00Z\"}");
      post(batch.append("]").toString());
    }
    // what is counted here, not how fast the index follows: let it take in all 10,000 first
    assertThat(server.server().search().awaitVisible("acme", server.server().integrity().treeSize("acme"), java.time.Duration.ofSeconds(60))).isTrue();
    JsonNode exact = http.get("/v1/events?limit=1&count=true&action=bulk.imported", key).expect(200).json();
    assertThat(exact.get("total").asLong()).isEqualTo(10_000);
    assertThat(exact.get("total_is_lower_bound").asBoolean()).isFalse();
    JsonNode more = http.get("/v1/events?limit=1&count=true", key).expect(200).json();
    assertThat(more.get("total").asLong()).isEqualTo(10_000);
    assertThat(more.get("total_is_lower_bound").asBoolean()).isTrue();
    assertThat(http.get("/v1/events?limit=1", key).expect(200).json().has("total")).isFalse();
  }

  @Test
  void pagingNeitherSkipsNorRepeatsWhileEventsArrive() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int n = 0;
    do {
      JsonNode page = http.get("/v1/events?" + OWN + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor), key).expect(200).json();
      page.get("events").forEach(e -> seen.add(e.get("id").asString()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
      // arrivals newer than the page, and one older than everything seen so far
      post("{\"id\":\"new" + n + "\",\"action\":\"x.created\"}");
      post("{\"id\":\"old" + n + "\",\"time\":\"2020-01-0" + (n + 1) + "T00:00:00Z\",\"action\":\"x.created\"}");
      n++;
    } while (cursor != null);
    assertThat(seen.subList(0, 5)).containsExactly("e1", "e2", "e3", "e4", "e5");
    assertThat(seen).doesNotHaveDuplicates().noneMatch(id -> id.startsWith("new"));
  }

  @Test
  void statsForAWindow() {
    post("{\"id\":\"p1\",\"time\":\"2026-11-07T12:00:00Z\",\"action\":\"contact.deleted\",\"actor\":{\"type\":\"user\",\"id\":\"u_1\"}}");
    JsonNode s = http.get("/v1/stats?range=7d&" + OWN, key).expect(200).json();
    assertThat(s.get("bucket").asString()).isEqualTo("day");
    assertThat(s.get("total").asLong()).isEqualTo(3);
    assertThat(s.get("previous_total").asLong()).isEqualTo(1); // p1: the 7 days before 2026-11-08T12:00
    assertThat(s.get("change_pct").asDouble()).isEqualTo(200.0);
    assertThat(s.get("sign_ins").asLong()).isEqualTo(1);
    assertThat(s.get("writes").asLong()).isEqualTo(1);
    assertThat(s.get("reads_other").asLong()).isEqualTo(1);
    assertThat(s.get("unique_ips").asLong()).isEqualTo(2);
    assertThat(s.get("series")).hasSize(8);
    assertThat(s.get("series").get(0).get("start").asString()).isEqualTo("2026-11-08T00:00:00.000Z");
    assertThat(s.get("series").get(7).toString()).isEqualTo("{\"start\":\"2026-11-15T00:00:00.000Z\",\"auth\":0,\"writes\":1,\"other\":1}");
    assertThat(s.get("series").get(6).toString()).isEqualTo("{\"start\":\"2026-11-14T00:00:00.000Z\",\"auth\":1,\"writes\":0,\"other\":0}");
    assertThat(s.get("top_actors").toString()).isEqualTo("[{\"id\":\"u_1\",\"name\":\"Riley Park\",\"email\":\"admin@acme.com\",\"count\":1,"
        + "\"last_seen\":\"2026-11-15T11:50:00.000Z\"},{\"id\":\"key_9\",\"name\":\"CI\",\"email\":null,\"count\":1,\"last_seen\":\"2026-11-15T10:00:00.000Z\"},"
        + "{\"id\":\"u_2\",\"name\":\"Sam Lee\",\"email\":\"sam@globex.io\",\"count\":1,\"last_seen\":\"2026-11-14T09:00:00.000Z\"}]");
    assertThat(s.get("by_category").toString()).isEqualTo("[{\"category\":\"api\",\"count\":1},{\"category\":\"auth\",\"count\":1},{\"category\":\"campaign\",\"count\":1}]");
    assertThat(http.get("/v1/stats?range=24h", key).expect(200).json().get("bucket").asString()).isEqualTo("hour");
    assertThat(http.get("/v1/stats?range=90d", key).expect(200).json().get("bucket").asString()).isEqualTo("week");
    JsonNode weekly = http.get("/v1/stats?range=30d&bucket=week&" + OWN, key).expect(200).json();
    assertThat(weekly.get("series").get(0).get("start").asString()).isEqualTo("2026-10-12T00:00:00.000Z"); // a Monday
  }

  @Test
  void badParametersNameTheParameterAndTheRule() {
    assertProblem("limit=0", "limit", "from 1 to 1000");
    assertProblem("limit=1001", "limit", "from 1 to 1000");
    assertProblem("cursor=zz", "cursor", "next_cursor");
    assertProblem("range=2h", "range", "15m, 1h");
    assertProblem("range=1h&from=2026-11-01T00:00:00Z", "range", "not both");
    assertProblem("from=yesterday", "from", "RFC 3339");
    assertProblem("from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "to", "later than 'from'");
    assertProblem("status=broken", "status", "not one of");
    assertProblem("layer=x", "layer", "not one of");
    assertProblem("type=Not-A-Word", "type", "lower_snake");
    assertProblem("action=*.created", "action", "at the end");
    assertProblem("scope=mine", "scope", "actor");
    assertProblem("scope=theirs", "scope", "'all' or 'mine'");
    assertProblem("order=up", "order", "'desc' or 'asc'");
    assertProblem("facets=color", "facets", "not one of");
    assertProblem("count=yes", "count", "'true' or 'false'");
    assertProblem("limit=1&limit=2", "limit", "once");
    assertProblem("sort=time", "sort", "not a known parameter");
    JsonNode err = http.get("/v1/events?q=" + URLEncoder.encode("(summer OR sale", StandardCharsets.UTF_8), key).expect(400).json().get("error");
    assertThat(err.get("code").asString()).isEqualTo("invalid_query");
    assertThat(err.get("message").asString()).isEqualTo("expected ')' at position 16");
    assertThat(err.get("details").get(0).get("field").asString()).isEqualTo("q");
    JsonNode stats = http.get("/v1/stats?bucket=month", key).expect(400).json().get("error");
    assertThat(stats.get("details").get(0).get("field").asString()).isEqualTo("bucket");
    assertThat(http.get("/v1/stats?from=2000-01-01T00:00:00Z&bucket=hour", key).expect(400).json().get("error").get("details").get(0)
        .get("problem").asString()).contains("larger bucket");
    assertThat(http.get("/v1/stats?limit=5", key).expect(400).json().get("error").get("details").get(0).get("field").asString()).isEqualTo("limit");
  }

  private void assertProblem(String query, String field, String rule) {
    JsonNode err = http.get("/v1/events?" + query, key).expect(400).json().get("error");
    assertThat(err.get("details").get(0).get("field").asString()).as(query).isEqualTo(field);
    assertThat(err.get("details").get(0).get("problem").asString()).as(query).contains(rule);
  }

  @Test
  void oneWorkspaceNeverSeesAnothersEventsFacetsOrStats() {
    String other = server.workspaceWithKey("globex", "ingest", "read");
    http.post("/v1/events", other, "{\"id\":\"secret\",\"time\":\"2026-11-15T11:59:00Z\",\"action\":\"campaign.launched\",\"category\":\"secret_plans\","
        + "\"actor\":{\"type\":\"user\",\"id\":\"spy\",\"email\":\"spy@globex.io\"},\"context\":{\"ip\":\"192.0.2.99\"},\"summary\":\"Summer Sale clone\"}").expect(201);
    assertThat(q("summer")).containsExactly("e1");
    assertThat(q("secret OR spy OR clone OR secret_plans OR actor.id:spy")).isEmpty();
    assertThat(ids("actor=spy")).isEmpty();
    JsonNode page = http.get("/v1/events?facets=category,actor&count=true&limit=1000&" + OWN, key).expect(200).json();
    assertThat(page.toString()).doesNotContain("secret").doesNotContain("spy");
    assertThat(page.get("total").asLong()).isEqualTo(5);
    JsonNode stats = http.get("/v1/stats?range=24h&" + OWN, key).expect(200).json();
    assertThat(stats.toString()).doesNotContain("secret").doesNotContain("spy");
    assertThat(stats.get("total").asLong()).isEqualTo(2); // e1 and e2; not "secret" from the same hour
    assertThat(stats.get("unique_ips").asLong()).isEqualTo(2);
    JsonNode theirs = http.get("/v1/events?q=summer", other).expect(200).json();
    assertThat(theirs.get("events")).extracting(e -> e.get("id").asString()).containsExactly("secret");
  }
}
