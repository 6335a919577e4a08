package org.trailbook.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.postgres.StoreUrl;
import org.trailbook.postgres.TestPostgres;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/** Two nodes on one PostgreSQL store share retention: a policy, plan or hold set through one holds on the other at once. */
class RetentionNodesTest {
  static final String ADMIN = TestServer.ADMIN_KEY;
  @TempDir Path dir;

  @Test
  void aChangeOnOneNodeIsWhatTheOtherServes() {
    String url = TestPostgres.newDatabase();
    try (TestServer a = TestServer.start(config(url, "a")); TestServer b = TestServer.start(config(url, "b"))) {
      String acmeAdmin = a.workspaceWithKey("acme", "admin");
      a.http.put("/v1/retention/plans/growth", ADMIN, "{\"max_days\": 90}").expect(200);
      b.http.put("/v1/workspaces/acme/plan", ADMIN, "{\"plan\": \"growth\"}").expect(200);
      a.http.put("/v1/workspaces/acme/retention", acmeAdmin, "{\"days\": 30, \"archive\": true}").expect(200);
      b.http.put("/v1/workspaces/acme/retention", acmeAdmin, "{\"days\": 120, \"archive\": true}").expect(400); // the plan, seen by b
      String hold = b.http.post("/v1/workspaces/acme/holds", acmeAdmin, "{\"reason\": \"litigation\"}").expect(201).json().get("id").asString();

      JsonNode seen = a.http.get("/v1/workspaces/acme/retention", acmeAdmin).expect(200).json();
      assertThat(seen.get("policy").get("days").asInt()).isEqualTo(30);
      assertThat(seen.get("plan").get("name").asString()).isEqualTo("growth");
      assertThat(seen.get("held").asBoolean()).isTrue();
      assertThat(seen.get("holds").get(0).get("id").asString()).isEqualTo(hold);
      a.http.post("/v1/workspaces/acme/holds/" + hold + "/release", acmeAdmin, "{}").expect(200);
      b.http.post("/v1/workspaces/acme/holds/" + hold + "/release", acmeAdmin, "{}").expect(409);
      assertThat(a.server().retention().effective("acme", java.time.Instant.now())).isEqualTo(new EffectiveRetention(30, true, 365, false));
      assertThat(b.server().retention().effective("acme", java.time.Instant.now())).isEqualTo(new EffectiveRetention(30, true, 365, false));
    }
  }

  private ServerConfig config(String url, String node) {
    return ServerConfig.fromEnvironment(Map.of()).withDataDir(dir.resolve(node)).withStore(Optional.of(StoreUrl.parse(url)));
  }
}
