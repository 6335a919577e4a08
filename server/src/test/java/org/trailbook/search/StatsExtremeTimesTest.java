package org.trailbook.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.http.HttpClientForTests;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/**
 * Events at the extreme times the API accepts (1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z) stay in the log
 * forever; {@code GET /v1/stats} must keep answering for every window — none, every range preset, absolute windows
 * spanning them — with a clamped series of sane length and well-formed times, and the bucket limit applied to the
 * clamped window.
 */
class StatsExtremeTimesTest {
  static final Instant NOW = Instant.parse("2026-11-15T12:00:00Z");
  static final String MIN = "1970-01-01T00:00:00.000Z";
  static final String MAX = "9999-12-31T23:59:59.999Z";
  /** Only this test's events, not the audit_log entries that creating the workspace made. */
  static final String OWN = "layer=workspace";
  static final Duration MAX_SPAN = Duration.ofDays(7_305);

  @TempDir Path dir;
  TestServer server;
  HttpClientForTests http;
  String key;

  @BeforeEach
  void start() {
    server = TestServer.start(dir, Clock.fixed(NOW, ZoneOffset.UTC));
    http = server.http;
    key = server.workspaceWithKey("acme", "ingest", "read");
    http.post("/v1/events", key, """
        [{"id":"min","time":"1970-01-01T00:00:00Z","action":"contact.created","actor":{"id":"u_old"}},
         {"id":"max","time":"9999-12-31T23:59:59.999Z","action":"contact.created","actor":{"id":"u_future"}},
         {"id":"now","time":"2026-11-15T11:00:00Z","type":"auth","action":"auth.login","actor":{"id":"u_now"}}]
        """).expect(201);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theEventParserAcceptsExactlyTheTimesFrom1970To9999() {
    http.post("/v1/events", key, "{\"action\":\"x.y\",\"time\":\"0001-01-01T00:00:00Z\"}").expect(400);
    http.post("/v1/events", key, "{\"action\":\"x.y\",\"time\":\"1969-12-31T23:59:59.999Z\"}").expect(400);
    assertThat(http.get("/v1/events/min", key).expect(200).json().get("time").asString()).isEqualTo(MIN);
    assertThat(http.get("/v1/events/max", key).expect(200).json().get("time").asString()).isEqualTo(MAX);
  }

  @Test
  void withoutAWindowTheSeriesIsTheLastTwentyYearsAndStillCountsEverything() {
    JsonNode s = stats("");
    assertThat(s.get("total").asLong()).isEqualTo(3);
    assertThat(s.get("bucket").asString()).isEqualTo("week");
    assertSane(s);
    assertThat(Instant.parse(s.get("to").asString())).isEqualTo(NOW);
    assertThat(Instant.parse(s.get("from").asString())).isBetween(NOW.minus(MAX_SPAN).minus(Duration.ofDays(7)), NOW.minus(MAX_SPAN));
    JsonNode series = s.get("series");
    assertThat(series.get(0).get("writes").asLong()).as("1970 counts in the first bucket").isEqualTo(1);
    assertThat(series.get(series.size() - 1).get("writes").asLong()).as("9999 counts in the last bucket").isEqualTo(1);
    assertThat(series.get(series.size() - 1).get("auth").asLong()).isEqualTo(1);
  }

  @Test
  void everyRangePresetCountsTheFutureEventInItsLastBucket() {
    for (String range : List.of("15m", "1h", "24h", "7d", "30d", "90d")) {
      JsonNode s = stats("range=" + range);
      assertSane(s);
      assertThat(s.get("total").asLong()).as(range).isEqualTo(range.equals("15m") ? 1 : 2); // 9999, and the sign-in an hour ago
      assertThat(Instant.parse(s.get("to").asString())).as(range).isEqualTo(NOW);
    }
  }

  @Test
  void anAbsoluteWindowSpanningBothExtremesIsClampedAndTheDefaultBucketFits() {
    JsonNode s = stats("from=" + enc(MIN) + "&to=" + enc(MAX));
    assertSane(s);
    assertThat(s.get("bucket").asString()).isEqualTo("week");
    assertThat(s.get("total").asLong()).isEqualTo(2); // 'to' is exclusive: the 9999 event is at it
    assertThat(Instant.parse(s.get("to").asString())).isEqualTo(NOW);
    assertThat(s.get("previous_total").asLong()).isZero();

    // years 0000 to 9999, the widest a query may name, and every bucket the caller may ask for
    JsonNode widest = stats("from=0000-01-01T00:00:00Z&to=" + enc(MAX) + "&bucket=week");
    assertSane(widest);
    assertThat(widest.get("total").asLong()).isEqualTo(2);
    JsonNode tail = stats("from=9999-01-01T00:00:00Z&to=" + enc(MAX) + "&bucket=day");
    assertSane(tail);
    assertThat(tail.get("series").size()).isEqualTo(365);
    assertThat(tail.get("to").asString()).isEqualTo(MAX);
    JsonNode open = stats("from=9999-01-01T00:00:00Z"); // no 'to', a start after now: the window is its first millisecond
    assertSane(open);
    assertThat(open.get("total").asLong()).isEqualTo(1);
    JsonNode head = stats("from=0000-01-01T00:00:00Z&to=1970-01-02T00:00:00Z&bucket=day");
    assertSane(head);
    assertThat(head.get("total").asLong()).isEqualTo(1);
    JsonNode before = stats("from=0000-01-01T00:00:00Z&to=0001-01-01T00:00:00Z&bucket=week");
    assertSane(before);
    assertThat(before.get("total").asLong()).isZero();
  }

  @Test
  void theBucketLimitAppliesToTheClampedWindow() {
    // 20 years of days (from noon to noon: 7,306 day buckets) is more than 5,000: a clear 400 counting the clamped
    // window's buckets, not those of 8,000 years
    JsonNode err = http.get("/v1/stats?" + OWN + "&from=" + enc(MIN) + "&to=" + enc(MAX) + "&bucket=day", key).expect(400).json().get("error");
    assertThat(err.get("details").get(0).get("field").asString()).isEqualTo("bucket");
    assertThat(err.get("details").get(0).get("problem").asString()).contains("holds 7306 day buckets").contains("larger bucket");
  }

  private JsonNode stats(String query) {
    return http.get("/v1/stats?" + OWN + (query.isEmpty() ? "" : "&" + query), key).expect(200).json();
  }

  /** Well-formed times within 1970–9999 (bucket starts may begin in the week before 1970), a series of at most 20 years that adds up to the total. */
  private static void assertSane(JsonNode s) {
    Instant from = Instant.parse(s.get("from").asString());
    Instant to = Instant.parse(s.get("to").asString());
    assertThat(from).isAfterOrEqualTo(Instant.parse(MIN).minus(Duration.ofDays(7))).isBefore(to);
    assertThat(to).isBeforeOrEqualTo(Instant.parse(MAX));
    assertThat(Duration.between(from, to)).isLessThanOrEqualTo(MAX_SPAN.plusDays(7));
    JsonNode series = s.get("series");
    assertThat(series.size()).isBetween(1, 5000);
    long sum = 0;
    for (JsonNode p : series) {
      assertThat(p.get("start").asString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
      sum += p.get("auth").asLong() + p.get("writes").asLong() + p.get("other").asLong();
    }
    assertThat(sum).as("the series adds up to the total").isEqualTo(s.get("total").asLong());
    for (JsonNode a : s.get("top_actors")) assertThat(a.get("last_seen").asString()).matches("\\d{4}-.*Z");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
