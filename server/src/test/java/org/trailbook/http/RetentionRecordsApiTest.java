package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/**
 * Legal holds through a real server, and every retention change recorded in the workspace's own log as an {@code
 * audit_log} entry with before and after — a change that changes nothing is not recorded.
 */
class RetentionRecordsApiTest {
  static final Instant NOW = Instant.parse("2026-12-07T14:00:00Z");
  static final String ADMIN = TestServer.ADMIN_KEY;
  @TempDir Path dir;
  TestServer server;
  HttpClientForTests http;
  String acmeAdmin;
  String acmeReader;

  @BeforeEach
  void start() {
    ServerConfig config = ServerConfig.fromEnvironment(Map.of("TRAILBOOK_RETENTION_DEFAULT_DAYS", "730")).withDataDir(dir);
    server = TestServer.start(config, Clock.fixed(NOW, ZoneOffset.UTC));
    http = server.http;
    acmeAdmin = server.workspaceWithKey("acme", "admin");
    acmeReader = server.key("acme", "read");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void holdsArePlacedListedAndReleasedOnce() {
    JsonNode h = http.post("/v1/workspaces/acme/holds", acmeAdmin, "{\"reason\": \"litigation 2026-17\", \"ends_at\": \"2027-06-30T00:00:00+02:00\"}")
        .expect(201).json();
    String id = h.get("id").asString();
    assertThat(id).matches("hold_[0-9a-f]{16}");
    assertThat(h.get("workspace").asString()).isEqualTo("acme");
    assertThat(h.get("reason").asString()).isEqualTo("litigation 2026-17");
    assertThat(h.get("placed_at").asString()).isEqualTo("2026-12-07T14:00:00.000Z");
    assertThat(h.get("ends_at").asString()).isEqualTo("2027-06-29T22:00:00.000Z");
    assertThat(h.get("released_at").isNull()).isTrue();
    assertThat(h.get("placed_by").asString()).startsWith("key_");
    assertThat(h.get("active").asBoolean()).isTrue();
    JsonNode other = http.post("/v1/workspaces/acme/holds", ADMIN, "{\"reason\": \"regulator\"}").expect(201).json();
    assertThat(other.get("placed_by").asString()).isEqualTo("platform-admin");
    assertThat(other.get("ends_at").isNull()).isTrue();

    JsonNode r = http.get("/v1/workspaces/acme/retention", acmeAdmin).expect(200).json();
    assertThat(r.get("held").asBoolean()).isTrue();
    assertThat(r.get("holds")).extracting(x -> x.get("id").asString()).containsExactly(id, other.get("id").asString());

    JsonNode released = http.post("/v1/workspaces/acme/holds/" + id + "/release", acmeAdmin, "{}").expect(200).json();
    assertThat(released.get("released_at").asString()).isEqualTo("2026-12-07T14:00:00.000Z");
    assertThat(released.get("active").asBoolean()).isFalse();
    assertThat(http.post("/v1/workspaces/acme/holds/" + id + "/release", acmeAdmin, "{}").expect(409).json().get("error").get("message").asString())
        .contains("released already");
    http.post("/v1/workspaces/acme/holds/hold_0000000000000000/release", acmeAdmin, "{}").expect(404);
    String globexAdmin = server.workspaceWithKey("globex", "admin");
    http.post("/v1/workspaces/globex/holds/" + other.get("id").asString() + "/release", globexAdmin, "{}").expect(404);

    JsonNode all = http.get("/v1/workspaces/acme/holds", acmeAdmin).expect(200).json().get("holds");
    assertThat(all).extracting(x -> x.get("active").asBoolean()).containsExactly(false, true);
    JsonNode after = http.get("/v1/workspaces/acme/retention", acmeAdmin).expect(200).json();
    assertThat(after.get("held").asBoolean()).as("the other hold still holds").isTrue();
    assertThat(after.get("holds")).hasSize(1);
    http.post("/v1/workspaces/acme/holds/" + other.get("id").asString() + "/release", ADMIN, "{}").expect(200);
    assertThat(http.get("/v1/workspaces/acme/retention", acmeAdmin).expect(200).json().get("held").asBoolean()).isFalse();
  }

  @Test
  void aHoldNeedsAReasonAndAFutureEnd() {
    assertThat(problemField(http.post("/v1/workspaces/acme/holds", acmeAdmin, "{}").expect(400))).isEqualTo("reason");
    assertThat(problemField(http.post("/v1/workspaces/acme/holds", acmeAdmin, "{\"reason\": \"   \"}").expect(400))).isEqualTo("reason");
    assertThat(problemField(http.post("/v1/workspaces/acme/holds", acmeAdmin, "{\"reason\": \"" + "x".repeat(501) + "\"}").expect(400))).isEqualTo("reason");
    assertThat(problemField(http.post("/v1/workspaces/acme/holds", acmeAdmin, "{\"reason\": 5}").expect(400))).isEqualTo("reason");
    assertThat(problemField(http.post("/v1/workspaces/acme/holds", acmeAdmin, "{\"reason\": \"r\", \"ends_at\": \"2026-12-07T13:59:59Z\"}").expect(400)))
        .isEqualTo("ends_at");
    assertThat(problemField(http.post("/v1/workspaces/acme/holds", acmeAdmin, "{\"reason\": \"r\", \"ends_at\": \"next week\"}").expect(400)))
        .isEqualTo("ends_at");
    assertThat(problemField(http.post("/v1/workspaces/acme/holds", acmeAdmin, "{\"reason\": \"r\", \"until\": \"2027-01-01T00:00:00Z\"}").expect(400)))
        .isEqualTo("until");
    assertThat(http.get("/v1/workspaces/acme/holds", acmeAdmin).expect(200).json().get("holds")).isEmpty();
  }

  @Test
  void everyChangeIsRecordedWithBeforeAndAfterAndNoChangeIsNotRecorded() {
    http.put("/v1/workspaces/acme/retention", acmeAdmin, "{\"days\": 90, \"archive\": true}").expect(200);
    http.put("/v1/workspaces/acme/retention", acmeAdmin, "{\"days\": 90, \"archive\": true}").expect(200); // no change
    http.put("/v1/retention/plans/growth", ADMIN, "{\"max_days\": 365}").expect(200); // acme is not on it yet: not in its log
    http.put("/v1/workspaces/acme/plan", ADMIN, "{\"plan\": \"growth\"}").expect(200);
    http.put("/v1/workspaces/acme/plan", ADMIN, "{\"plan\": \"growth\"}").expect(200); // no change
    http.put("/v1/retention/plans/growth", ADMIN, "{\"max_days\": 60}").expect(200);
    http.put("/v1/retention/plans/growth", ADMIN, "{\"max_days\": 60}").expect(200); // no change
    String hold = http.post("/v1/workspaces/acme/holds", acmeAdmin, "{\"reason\": \"litigation\"}").expect(201).json().get("id").asString();
    http.post("/v1/workspaces/acme/holds/" + hold + "/release", ADMIN, "{}").expect(200);
    http.put("/v1/workspaces/acme/plan", ADMIN, "{\"plan\": null}").expect(200);

    List<JsonNode> log = auditTrail(6);
    assertThat(log).extracting(e -> e.get("action").asString()).containsExactly("audit_log.retention_changed", "audit_log.plan_assigned",
        "audit_log.plan_changed", "audit_log.hold_placed", "audit_log.hold_released", "audit_log.plan_assigned");
    assertThat(log).allSatisfy(e -> assertThat(e.get("category").asString()).isEqualTo("audit_log"));

    JsonNode policy = log.get(0);
    assertThat(policy.get("changes").get("before").toString()).isEqualTo("{\"archive\":false,\"days\":730,\"default\":true}");
    assertThat(policy.get("changes").get("after").toString()).isEqualTo("{\"archive\":true,\"days\":90}");
    assertThat(policy.get("changes").get("fields")).extracting(JsonNode::asString).containsExactly("archive", "days", "default");
    assertThat(policy.get("actor").get("type").asString()).isEqualTo("api_key");
    assertThat(policy.get("summary").asString()).contains("set the retention of workspace acme to 90 days, archived before purging");

    JsonNode assigned = log.get(1);
    assertThat(assigned.get("changes").get("before").toString()).isEqualTo("{\"max_days\":null,\"plan\":null}");
    assertThat(assigned.get("changes").get("after").toString()).isEqualTo("{\"max_days\":365,\"plan\":\"growth\"}");
    assertThat(assigned.get("actor").get("id").asString()).isEqualTo("platform-admin");

    JsonNode lowered = log.get(2);
    assertThat(lowered.get("changes").get("before").get("max_days").asInt()).isEqualTo(365);
    assertThat(lowered.get("changes").get("after").get("max_days").asInt()).isEqualTo(60);

    JsonNode placed = log.get(3);
    assertThat(placed.get("resource").get("id").asString()).isEqualTo(hold);
    assertThat(placed.get("changes").get("after").get("reason").asString()).isEqualTo("litigation");
    JsonNode released = log.get(4);
    assertThat(released.get("changes").get("before").get("released_at").isNull()).isTrue();
    assertThat(released.get("changes").get("after").get("released_at").asString()).isEqualTo("2026-12-07T14:00:00.000Z");
    JsonNode cleared = log.get(5);
    assertThat(cleared.get("changes").get("after").toString()).isEqualTo("{\"max_days\":null,\"plan\":null}");
    assertThat(cleared.get("summary").asString()).contains("took workspace acme off retention plan growth");
  }

  /**
   * The workspace's retention records, oldest first, read from the log itself (each was appended before its request
   * was answered); the workspace and key records before them are left out. There must be exactly {@code count}.
   */
  private List<JsonNode> auditTrail(int count) {
    List<JsonNode> found = new ArrayList<>();
    for (String line : http.get("/v1/log/entries?start=0&end=" + logSize(), acmeReader).expect(200).body().split("\n")) {
      JsonNode e = org.trailbook.Json.MAPPER.readTree(line);
      String action = e.get("action").asString();
      if (!action.startsWith("audit_log.key_") && !action.equals("audit_log.workspace_created")) found.add(e);
    }
    assertThat(found).hasSize(count);
    return found;
  }

  /** The log's size: the largest end {@code /v1/log/entries} accepts (every record is appended before its answer). */
  private long logSize() {
    long size = 1;
    while (http.get("/v1/log/entries?start=0&end=" + (size + 1), acmeReader).status() == 200) size++;
    return size;
  }

  private static String problemField(HttpClientForTests.Response r) {
    return r.json().get("error").get("details").get(0).get("field").asString();
  }
}
