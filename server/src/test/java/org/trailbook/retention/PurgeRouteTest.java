package org.trailbook.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/** The run route: who may run it, and why a pass purges nothing (a legal hold placed through the API, no policy). */
class PurgeRouteTest {
  @TempDir Path dir;

  @Test
  void theRouteAnswersWhyNothingWasPurgedAndOnlyAdminsOfTheWorkspaceMayRunIt() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (TestServer s = TestServer.start(dir, clock)) {
      String ingest = s.workspaceWithKey("acme", "ingest");
      String admin = s.key("acme", "admin");
      String otherAdmin = s.workspaceWithKey("other", "admin");
      for (int i = 0; i < 5; i++) s.http.post("/v1/events", ingest, "{\"action\":\"doc.edited\"}").expect(201);
      clock.advance(Duration.ofDays(100));
      s.server().integrity().signDue();

      JsonNode unlimited = s.http.post("/v1/workspaces/acme/retention/run", admin, "{}").expect(200).json();
      assertThat(unlimited.get("purged").isNull()).isTrue();
      assertThat(unlimited.get("reason").asString()).startsWith("unlimited");

      PurgeEndToEndTest.put(s, "/v1/workspaces/acme/retention", admin, "{\"days\":30,\"archive\":false}");
      s.http.post("/v1/workspaces/acme/holds", admin, "{\"reason\":\"litigation\"}").expect(201);
      JsonNode held = s.http.post("/v1/workspaces/acme/retention/run", TestServer.ADMIN_KEY, "{}").expect(200).json();
      assertThat(held.get("reason").asString()).startsWith("held");

      assertThat(s.http.post("/v1/workspaces/acme/retention/run", otherAdmin, "{}").status()).isEqualTo(403);
      assertThat(s.http.post("/v1/workspaces/acme/retention/run", ingest, "{}").status()).isEqualTo(403);
      assertThat(s.http.post("/v1/workspaces/nobody/retention/run", TestServer.ADMIN_KEY, "{}").status()).isEqualTo(404);
      JsonNode empty = s.http.post("/v1/workspaces/other/retention/run", TestServer.ADMIN_KEY, "{}").expect(200).json();
      assertThat(empty.get("purged").isNull()).isTrue();
    }
  }
}
