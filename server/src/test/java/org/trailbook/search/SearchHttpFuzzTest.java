package org.trailbook.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.trailbook.http.HttpClientForTests;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/** Over HTTP, no query string and no parameter value makes the search endpoints answer anything but 200 or 400. */
class SearchHttpFuzzTest {
  static Path dir;
  static TestServer server;
  static String key;

  @BeforeContainer
  static void start() throws IOException {
    dir = Files.createTempDirectory("search-fuzz");
    server = TestServer.start(dir);
    key = server.workspaceWithKey("fuzz", "ingest", "read");
    server.http.post("/v1/events", key, "[{\"action\":\"campaign.launched\",\"resource\":{\"type\":\"campaign\",\"name\":\"Summer Sale\"}},"
        + "{\"type\":\"api_call\",\"action\":\"api.request\",\"http\":{\"method\":\"GET\",\"status_code\":500,\"latency_ms\":12}}]").expect(201);
  }

  @AfterContainer
  static void stop() throws IOException {
    server.close();
    try (var files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
    }
  }

  @Property(tries = 300)
  void anyQueryAnswers200Or400(@ForAll("queries") String q) {
    HttpClientForTests.Response r = server.http.get("/v1/events?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), key);
    assertThat(r.status()).as(q + " → " + r.body()).isIn(200, 400);
    if (r.status() == 400) {
      JsonNode err = r.json().get("error");
      assertThat(err.get("code").asString()).isEqualTo("invalid_query");
      assertThat(err.get("message").asString()).matches(".* at position \\d+");
    }
    assertThat(server.http.get("/v1/stats?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), key).status()).as(q).isIn(200, 400);
  }

  @Property(tries = 300)
  void anyParameterValueAnswers200Or400(@ForAll("names") String name, @ForAll("values") String value) {
    String query = name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    HttpClientForTests.Response r = server.http.get("/v1/events?" + query, key);
    assertThat(r.status()).as(query + " → " + r.body()).isIn(200, 400);
    if (r.status() == 400) assertThat(r.json().get("error").get("details").get(0).get("field").asString()).isEqualTo(name);
    HttpClientForTests.Response s = server.http.get("/v1/stats?" + query, key);
    assertThat(s.status()).as(query + " → " + s.body()).isIn(200, 400);
  }

  @Provide
  Arbitrary<String> queries() {
    return Arbitraries.oneOf(QueryParserFuzzTest.syntaxy(), Arbitraries.strings().ofMaxLength(60));
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.of("range", "from", "to", "type", "category", "status", "layer", "action", "actor", "actor_type", "resource_type",
        "resource_id", "ip", "scope", "order", "limit", "cursor", "facets", "count", "bucket");
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30),
        Arbitraries.of("24h", "7d", "1h", "2026-11-01T00:00:00Z", "2026-11-01T00:00:00+02:00", "-1", "0", "1000", "1001", "99999999999",
            "desc", "asc", "mine", "all", "true", "week", "hour", "category,type", "success,failure", "campaign.*", "*", "YzE6MTox",
            "Yzk6OTk5OTk5OTk5OTk5OTk5OTk5OTk6MQ", "c1:1:1", "+999999999-01-01T00:00:00Z", "-290000000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "api_call", ",", " "));
  }
}
