package org.trailbook.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.archive.ArchiveConfig;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/**
 * After purges under changing rules (first without an archive, so the access trail below that horizon stays for good;
 * then with one, so newer trail entries age out), search counts exactly the entries the log still holds: the index
 * never drops an access-trail entry the log keeps.
 */
class PurgedIndexTest {
  static final String WS = "acme";

  @TempDir Path dir;
  @TempDir Path archives;

  @Test
  void searchCountsExactlyWhatTheLogStillHolds() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    ServerConfig config = ServerConfig.fromEnvironment(Map.of()).withDataDir(dir)
        .withArchive(ArchiveConfig.fromEnvironment(Map.of("TRAILBOOK_ARCHIVE_TARGET", archives.toString())));
    try (TestServer s = TestServer.start(config, clock)) {
      String key = s.workspaceWithKey(WS, "ingest", "read", "admin");
      for (int day = 0; day < 60; day++) {
        // the access trail: a key created each day (audit_log.key_created), beside an ordinary event
        s.http.post("/v1/workspaces/" + WS + "/keys", TestServer.ADMIN_KEY, "{\"name\":\"k" + day + "\",\"scopes\":[\"read\"]}").expect(201);
        s.http.post("/v1/events", key, "{\"action\":\"doc.edited\"}").expect(201);
        clock.advance(Duration.ofDays(1));
      }
      PurgeEndToEndTest.put(s, "/v1/workspaces/" + WS + "/retention", key, "{\"days\":30,\"archive\":false}");
      s.server().integrity().signDue();
      JsonNode first = run(s, key);
      assertThat(first.get("kept").asLong()).as("without an archive the whole trail stays").isPositive();

      PurgeEndToEndTest.put(s, "/v1/workspaces/" + WS + "/retention", key, "{\"days\":30,\"archive\":true}");
      clock.advance(Duration.ofDays(400)); // the trail of days 30..59 is past its 365 days, and now archived first
      s.http.post("/v1/events", key, "{\"action\":\"doc.edited\"}").expect(201);
      s.server().integrity().signDue();
      JsonNode second = run(s, key);
      assertThat(second.get("from_seq").asLong()).isEqualTo(first.get("to_seq").asLong());

      EventStore store = s.server().events();
      long size = store.size(WS);
      long held = store.read(WS, 0, size).size();
      long heldTrail = store.read(WS, 0, size).stream().filter(PurgedIndexTest::accessTrail).count();
      long trailBelowFirstHorizon = store.read(WS, 0, first.get("to_seq").asLong()).stream().filter(PurgedIndexTest::accessTrail).count();
      assertThat(trailBelowFirstHorizon).as("never archived: kept whatever its age").isEqualTo(first.get("kept").asLong());

      assertThat(s.server().search().awaitCurrent(WS, Duration.ofSeconds(10))).isZero();
      assertThat(count(s, key, "")).isEqualTo(held);
      assertThat(count(s, key, "&category=audit_log")).isEqualTo(heldTrail);
    }
  }

  private static JsonNode run(TestServer s, String key) {
    JsonNode purged = s.http.post("/v1/workspaces/" + WS + "/retention/run", key, "{}").expect(200).json().get("purged");
    assertThat(purged.isNull()).isFalse();
    return purged;
  }

  private static long count(TestServer s, String key, String filter) {
    return s.http.get("/v1/events?count=true&limit=1" + filter, key).expect(200).json().get("total").asLong();
  }

  private static boolean accessTrail(Entry e) {
    return "audit_log".equals(e.json().path("category").asString());
  }
}
