package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/**
 * Idempotency through the API: an exact retry is a duplicate (201, {@code duplicate: true}); the same id with a
 * different event is 409 {@code id_conflict} naming the stored seq, and nothing of that batch is stored — within one
 * batch, across requests and across a restart. A retry of an event sent without {@code time} arrives later and gets a
 * later default time, and is still a duplicate.
 */
class IdempotencyApiTest {
  @TempDir Path dir;
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-20T10:00:00.123Z"));
  final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };
  TestServer server;
  HttpClientForTests http;
  String key;

  @BeforeEach
  void start() {
    server = TestServer.start(dir, clock);
    http = server.http;
    key = server.workspaceWithKey("acme", "ingest", "read");
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private static final String ORIGINAL = "{\"id\":\"ord-7\",\"time\":\"2026-11-20T09:00:00Z\",\"action\":\"order.refunded\","
      + "\"actor\":{\"email\":\"riley@example.com\"},\"metadata\":{\"amount\":125}}";
  private static final String CHANGED = ORIGINAL.replace("125", "9999");

  private long seqOf(JsonNode ingest, int i) {
    return ingest.get("events").get(i).get("seq").asLong();
  }

  @Test
  void anExactRetryIsADuplicateAndADifferentEventWithTheSameIdIs409NamingTheSeq() {
    long seq = seqOf(http.post("/v1/events", key, ORIGINAL).expect(201).json(), 0);
    now.set(now.get().plus(Duration.ofMinutes(3))); // retries come later
    JsonNode retry = http.post("/v1/events", key, ORIGINAL).expect(201).json().get("events").get(0);
    assertThat(retry.get("duplicate").asBoolean()).isTrue();
    assertThat(retry.get("seq").asLong()).isEqualTo(seq);

    JsonNode err = http.post("/v1/events", key, CHANGED).expect(409).json().get("error");
    assertThat(err.get("code").asString()).isEqualTo("id_conflict");
    assertThat(err.get("message").asString()).isEqualTo(
        "an event with id 'ord-7' is already stored at seq " + seq + " with different content; nothing of this batch was stored");
    assertThat(err.get("id").asString()).isEqualTo("ord-7");
    assertThat(err.get("seq").asLong()).isEqualTo(seq);
    assertThat(err.get("details").get(0).get("index").asInt()).isZero();
    assertThat(err.get("details").get(0).get("field").asString()).isEqualTo("id");
    assertThat(http.get("/v1/events/ord-7", key).expect(200).json().at("/metadata/amount").asInt()).isEqualTo(125);
  }

  @Test
  void aRetryOfAnEventSentWithoutTimeIsADuplicateThoughItsDefaultTimeWouldDiffer() {
    String noTime = "{\"id\":\"login-1\",\"action\":\"auth.login\",\"actor\":{\"id\":\"u1\"}}";
    long seq = seqOf(http.post("/v1/events", key, noTime).expect(201).json(), 0);
    now.set(now.get().plus(Duration.ofMinutes(5)));
    JsonNode retry = http.post("/v1/events", key, noTime).expect(201).json().get("events").get(0);
    assertThat(retry.get("duplicate").asBoolean()).isTrue();
    assertThat(retry.get("seq").asLong()).isEqualTo(seq);
    // naming a time it did not have is a different event
    String withTime = noTime.replace("{\"id\":\"login-1\"", "{\"time\":\"2026-11-20T08:00:00Z\",\"id\":\"login-1\"");
    assertThat(http.post("/v1/events", key, withTime).expect(409).json().at("/error/seq").asLong()).isEqualTo(seq);
  }

  @Test
  void aConflictAnywhereInABatchStoresNothingOfIt() {
    long seq = seqOf(http.post("/v1/events", key, ORIGINAL).expect(201).json(), 0);
    JsonNode err = http.post("/v1/events", key, "[{\"id\":\"new-1\",\"action\":\"a.b\"}," + CHANGED + ",{\"id\":\"new-2\",\"action\":\"a.b\"}]")
        .expect(409).json().get("error");
    assertThat(err.get("seq").asLong()).isEqualTo(seq);
    assertThat(err.at("/details/0/index").asInt()).isEqualTo(1);
    http.get("/v1/events/new-1", key).expect(404);
    http.get("/v1/events/new-2", key).expect(404);
    // the batch without the conflicting event is fine, and repeats the stored one as a duplicate
    JsonNode ok = http.post("/v1/events", key, "[{\"id\":\"new-1\",\"action\":\"a.b\"}," + ORIGINAL + "]").expect(201).json();
    assertThat(ok.at("/events/0/seq").asLong()).isEqualTo(seq + 1);
    assertThat(ok.at("/events/1/duplicate").asBoolean()).isTrue();
  }

  @Test
  void oneIdTwiceInOneBatchIsStoredOnceWhenEqualAndRefusedWhenDifferent() {
    JsonNode twins = http.post("/v1/events", key, "[" + ORIGINAL + "," + ORIGINAL + "]").expect(201).json();
    assertThat(twins.at("/events/0/duplicate").asBoolean()).isFalse();
    assertThat(twins.at("/events/1/duplicate").asBoolean()).isTrue();
    assertThat(seqOf(twins, 1)).isEqualTo(seqOf(twins, 0));

    String a = "{\"id\":\"pair\",\"action\":\"a.b\",\"metadata\":{\"n\":1}}";
    String b = "{\"id\":\"pair\",\"action\":\"a.b\",\"metadata\":{\"n\":2}}";
    JsonNode err = http.post("/v1/events", key, "[" + a + ",{\"id\":\"other\",\"action\":\"a.b\"}," + b + "]").expect(409).json().get("error");
    assertThat(err.get("code").asString()).isEqualTo("id_conflict");
    assertThat(err.has("seq")).isFalse();
    assertThat(err.get("message").asString()).contains("events 0 and 2 of this batch have the id 'pair'");
    assertThat(err.at("/details/0/index").asInt()).isEqualTo(2);
    http.get("/v1/events/pair", key).expect(404);
    http.get("/v1/events/other", key).expect(404);
  }

  @Test
  void conflictsAndRepeatsAreRecognisedAfterARestart() {
    long seq = seqOf(http.post("/v1/events", key, "[{\"id\":\"first\",\"action\":\"a.b\"}," + ORIGINAL + "]").expect(201).json(), 1);
    server.close();
    now.set(now.get().plus(Duration.ofHours(1)));
    server = TestServer.start(dir, clock);
    http = server.http;
    JsonNode err = http.post("/v1/events", key, CHANGED).expect(409).json().get("error");
    assertThat(err.get("seq").asLong()).isEqualTo(seq);
    assertThat(err.get("message").asString()).contains("already stored at seq " + seq);
    JsonNode again = http.post("/v1/events", key, ORIGINAL).expect(201).json();
    assertThat(again.at("/events/0/duplicate").asBoolean()).isTrue();
    assertThat(seqOf(again, 0)).isEqualTo(seq);
  }
}
