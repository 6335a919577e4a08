package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/** {@code /v1/workspaces/{ws}/retention} and the plans through a real server (fixed clock): answers, rules, who may. */
class RetentionApiTest {
  static final Instant NOW = Instant.parse("2026-12-07T14:00:00Z");
  static final String ADMIN = TestServer.ADMIN_KEY;
  @TempDir Path dir;
  TestServer server;
  HttpClientForTests http;
  String acmeAdmin;

  @BeforeEach
  void start() {
    ServerConfig config = ServerConfig.fromEnvironment(Map.of("TRAILBOOK_PURGE_HOUR", "3", "TRAILBOOK_RETENTION_AUDIT_LOG_DAYS", "400"))
        .withDataDir(dir);
    server = TestServer.start(config, Clock.fixed(NOW, ZoneOffset.UTC));
    http = server.http;
    acmeAdmin = server.workspaceWithKey("acme", "admin");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aNewWorkspaceShowsTheDefaults() {
    JsonNode r = http.get("/v1/workspaces/acme/retention", acmeAdmin).expect(200).json();
    assertThat(r.get("workspace").asString()).isEqualTo("acme");
    assertThat(r.get("policy").isNull()).isTrue();
    assertThat(r.get("default_days").isNull()).as("unlimited out of the box").isTrue();
    assertThat(r.get("plan").isNull()).isTrue();
    JsonNode effective = r.get("effective");
    assertThat(effective.get("days").isNull()).isTrue();
    assertThat(effective.get("audit_log_days").asInt()).isEqualTo(400);
    assertThat(effective.get("archive").asBoolean()).isFalse();
    assertThat(effective.get("limited_by_plan").asBoolean()).isFalse();
    assertThat(r.get("purged_before").asLong()).isZero();
    // the workspace's first entry is the record of its creation
    assertThat(r.get("oldest_retained").get("seq").asLong()).isZero();
    assertThat(r.get("oldest_retained").get("received_at").asString()).isEqualTo("2026-12-07T14:00:00.000Z");
    assertThat(r.get("next_purge_at").asString()).isEqualTo("2026-12-08T03:00:00.000Z");
    assertThat(r.get("held").asBoolean()).isFalse();
    assertThat(r.get("holds")).isEmpty();
    assertThat(http.get("/v1/workspaces/acme/retention", ADMIN).expect(200).json()).isEqualTo(r);
  }

  @Test
  void aWorkspaceAdminChoosesWithinThePlan() {
    http.put("/v1/retention/plans/growth", ADMIN, "{\"max_days\": 90}").expect(200);
    JsonNode assigned = http.put("/v1/workspaces/acme/plan", ADMIN, "{\"plan\": \"growth\"}").expect(200).json();
    assertThat(assigned.get("plan").get("name").asString()).isEqualTo("growth");
    assertThat(assigned.get("plan").get("max_days").asInt()).isEqualTo(90);
    assertThat(assigned.get("effective").get("days").asInt()).as("an unlimited default, capped by the plan").isEqualTo(90);
    assertThat(assigned.get("effective").get("limited_by_plan").asBoolean()).isTrue();

    JsonNode set = http.put("/v1/workspaces/acme/retention", acmeAdmin, "{\"days\": 30, \"archive\": true}").expect(200).json();
    assertThat(set.get("policy").get("days").asInt()).isEqualTo(30);
    assertThat(set.get("policy").get("archive").asBoolean()).isTrue();
    assertThat(set.get("effective").get("days").asInt()).isEqualTo(30);
    assertThat(set.get("effective").get("archive").asBoolean()).isTrue();
    assertThat(set.get("effective").get("limited_by_plan").asBoolean()).isFalse();

    for (String over : new String[] {"{\"days\": 91, \"archive\": false}", "{\"days\": null, \"archive\": false}"}) {
      JsonNode error = http.put("/v1/workspaces/acme/retention", acmeAdmin, over).expect(400).json().get("error");
      assertThat(error.get("code").asString()).isEqualTo("beyond_plan");
      assertThat(error.get("details").get(0).get("field").asString()).isEqualTo("days");
      assertThat(error.get("details").get(0).get("problem").asString()).isEqualTo("at most 90 days on plan growth");
    }
    assertThat(http.get("/v1/workspaces/acme/retention", acmeAdmin).expect(200).json().get("policy").get("days").asInt()).isEqualTo(30);

    // the platform admin lowers the plan below the workspace's policy: the plan's maximum applies, and the answer says so
    http.put("/v1/retention/plans/growth", ADMIN, "{\"max_days\": 14}").expect(200);
    JsonNode lowered = http.get("/v1/workspaces/acme/retention", acmeAdmin).expect(200).json();
    assertThat(lowered.get("policy").get("days").asInt()).isEqualTo(30);
    assertThat(lowered.get("effective").get("days").asInt()).isEqualTo(14);
    assertThat(lowered.get("effective").get("audit_log_days").asInt()).isEqualTo(400);
    assertThat(lowered.get("effective").get("limited_by_plan").asBoolean()).isTrue();

    JsonNode off = http.put("/v1/workspaces/acme/plan", ADMIN, "{\"plan\": null}").expect(200).json();
    assertThat(off.get("plan").isNull()).isTrue();
    assertThat(off.get("effective").get("days").asInt()).isEqualTo(30);
    JsonNode unlimited = http.put("/v1/workspaces/acme/retention", acmeAdmin, "{\"days\": null, \"archive\": false}").expect(200).json();
    assertThat(unlimited.get("policy").get("days").isNull()).isTrue();
    assertThat(unlimited.get("effective").get("days").isNull()).isTrue();
  }

  @Test
  void badBodiesAreRefusedNamingTheFieldAndTheRule() {
    assertProblem("{\"days\": 90, \"archive\": true, \"keep\": 1}", "keep", "is not a known field");
    assertProblem("{\"days\": \"90\", \"archive\": true}", "days", "whole number of days");
    assertProblem("{\"days\": 90.5, \"archive\": true}", "days", "whole number of days");
    assertProblem("{\"days\": 6, \"archive\": true}", "days", "from 7 to 36500");
    assertProblem("{\"days\": 99999999999, \"archive\": true}", "days", "from 7 to 36500");
    assertProblem("{\"archive\": true}", "days", "is required");
    assertProblem("{\"days\": 90}", "archive", "is required");
    assertProblem("{\"days\": 90, \"archive\": \"yes\"}", "archive", "true or false");
    http.put("/v1/workspaces/acme/retention", acmeAdmin, "[90]").expect(400);
    assertThat(http.get("/v1/workspaces/acme/retention", acmeAdmin).expect(200).json().get("policy").isNull()).as("nothing stored").isTrue();

    assertThat(field(http.put("/v1/retention/plans/Growth", ADMIN, "{\"max_days\": 90}").expect(400))).isEqualTo("name");
    assertThat(field(http.put("/v1/retention/plans/growth", ADMIN, "{\"max_days\": 3}").expect(400))).isEqualTo("max_days");
    assertThat(field(http.put("/v1/retention/plans/growth", ADMIN, "{}").expect(400))).isEqualTo("max_days");
    assertThat(field(http.put("/v1/workspaces/acme/plan", ADMIN, "{\"plan\": 7}").expect(400))).isEqualTo("plan");
    assertThat(http.put("/v1/workspaces/acme/plan", ADMIN, "{\"plan\": \"gold\"}").expect(404).json().get("error").get("message").asString())
        .contains("'gold'");
    assertThat(http.get("/v1/retention/plans", ADMIN).expect(200).json().get("plans")).isEmpty();
  }

  @Test
  void plansAreThePlatformAdminsAlone() {
    http.put("/v1/retention/plans/starter", ADMIN, "{\"max_days\": 30}").expect(200);
    JsonNode enterprise = http.put("/v1/retention/plans/enterprise", ADMIN, "{\"max_days\": null}").expect(200).json();
    assertThat(enterprise.get("name").asString()).isEqualTo("enterprise");
    assertThat(enterprise.get("max_days").isNull()).isTrue();
    JsonNode plans = http.get("/v1/retention/plans", ADMIN).expect(200).json().get("plans");
    assertThat(plans).extracting(p -> p.get("name").asString()).containsExactly("enterprise", "starter");
    http.get("/v1/retention/plans", acmeAdmin).expect(403);
    http.put("/v1/retention/plans/starter", acmeAdmin, "{\"max_days\": 365}").expect(403);
    http.put("/v1/workspaces/acme/plan", acmeAdmin, "{\"plan\": \"enterprise\"}").expect(403);
    http.put("/v1/workspaces/nope/plan", ADMIN, "{\"plan\": \"starter\"}").expect(404);
    assertThat(http.get("/v1/retention/plans", ADMIN).expect(200).json().get("plans").get(1).get("max_days").asInt()).isEqualTo(30);
  }

  @Test
  void onlyAnAdminOfTheWorkspaceOrThePlatformAdminSeesOrChangesIt() {
    String globexAdmin = server.workspaceWithKey("globex", "admin");
    String acmeReader = server.key("acme", "read", "ingest", "export");
    String body = "{\"days\": 30, \"archive\": false}";
    // another workspace's admin key: 403, as on every /v1/workspaces/{ws} route
    http.get("/v1/workspaces/acme/retention", globexAdmin).expect(403);
    http.put("/v1/workspaces/acme/retention", globexAdmin, body).expect(403);
    http.post("/v1/workspaces/acme/holds", globexAdmin, "{\"reason\": \"x\"}").expect(403);
    http.get("/v1/workspaces/acme/holds", globexAdmin).expect(403);
    // a key of the workspace without the admin scope
    http.get("/v1/workspaces/acme/retention", acmeReader).expect(403);
    http.put("/v1/workspaces/acme/retention", acmeReader, body).expect(403);
    http.post("/v1/workspaces/acme/holds", acmeReader, "{\"reason\": \"x\"}").expect(403);
    http.get("/v1/workspaces/acme/retention", null).expect(401);
    http.get("/v1/workspaces/nope/retention", ADMIN).expect(404);
    http.put("/v1/workspaces/nope/retention", ADMIN, body).expect(404);
    http.post("/v1/workspaces/nope/holds", ADMIN, "{\"reason\": \"x\"}").expect(404);
    // nothing of it changed acme, and globex's own policy is its own
    assertThat(http.get("/v1/workspaces/acme/retention", acmeAdmin).expect(200).json().get("policy").isNull()).isTrue();
    assertThat(http.get("/v1/workspaces/acme/holds", acmeAdmin).expect(200).json().get("holds")).isEmpty();
    http.put("/v1/workspaces/globex/retention", globexAdmin, body).expect(200);
    assertThat(http.get("/v1/workspaces/acme/retention", acmeAdmin).expect(200).json().get("policy").isNull()).isTrue();
  }

  private void assertProblem(String body, String field, String rule) {
    JsonNode error = http.put("/v1/workspaces/acme/retention", acmeAdmin, body).expect(400).json().get("error");
    assertThat(error.get("details").get(0).get("field").asString()).as(body).isEqualTo(field);
    assertThat(error.get("details").get(0).get("problem").asString()).as(body).contains(rule);
  }

  private static String field(HttpClientForTests.Response r) {
    return r.json().get("error").get("details").get(0).get("field").asString();
  }
}
