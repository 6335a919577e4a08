package org.trailbook.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.Select;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/**
 * The page's Retention dialog in headless Chromium: an Owner sees the workspace's retention and changes it
 * within the plan, the change is in the log at once (as that person), and a choice beyond the plan is refused
 * with the rule.
 */
class RetentionPageBrowserTest {
  @TempDir Path dir;
  PageFixture f;
  Browser b;

  @BeforeEach
  void start() {
    f = new PageFixture(dir);
    f.http.put("/v1/retention/plans/growth", TestServer.ADMIN_KEY, "{\"max_days\": 90}").expect(200);
    f.http.put("/v1/workspaces/" + PageFixture.WS + "/plan", TestServer.ADMIN_KEY, "{\"plan\": \"growth\"}").expect(200);
    b = new Browser();
    b.open(f.loginUrl("u_riley", "Riley Park", "owner"));
    b.waitFor("the page", d -> d.getCurrentUrl().endsWith("/ui/"));
    b.open(f.base + "/ui/?scope=workspace");
    b.waitIdle();
    b.waitFor("the Retention button", d -> b.find("#retention-open").isDisplayed());
  }

  @AfterEach
  void stop() {
    if (b != null) b.close();
    if (f != null) f.close();
  }

  @Test
  void anOwnerChangesTheRetentionWithinThePlanAndTheChangeIsInTheLog() {
    b.find("#retention-open").click();
    b.waitFor("the retention facts", d -> b.text("#retention-facts").contains("growth (at most 90 days)"));
    assertThat(b.text("#retention-facts")).contains("Kept for\n90 days").contains("Next purge");
    assertThat(b.text("#retention-holds")).isEqualTo("No legal hold.");

    new Select(b.find("#retention-choice")).selectByValue("30");
    b.find("#retention-archive").click();
    b.find("#retention-save").click();
    b.waitFor("the saved message", d -> b.text("#retention-msg").startsWith("Saved: entries are kept for 30 days"));

    JsonNode policy = f.get("/v1/workspaces/" + PageFixture.WS + "/retention").get("policy");
    assertThat(policy.get("days").asInt()).isEqualTo(30);
    assertThat(policy.get("archive").asBoolean()).isTrue();
    f.awaitIndex(f.key);
    JsonNode changes = f.get("/v1/events?action=audit_log.retention_changed").get("events");
    assertThat(changes).as("the change is recorded in the log").hasSize(1);
    JsonNode change = changes.get(0);
    assertThat(change.path("actor").path("id").asString()).isEqualTo("u_riley");
    assertThat(change.path("actor").path("name").asString()).isEqualTo("Riley Park");
    assertThat(change.path("summary").asString()).startsWith("Riley Park set the retention");
  }

  @Test
  void aChoiceBeyondThePlanIsRefusedWithTheRule() {
    b.find("#retention-open").click();
    b.waitFor("the retention facts", d -> b.text("#retention-facts").contains("growth"));
    new Select(b.find("#retention-choice")).selectByValue("365");
    b.find("#retention-save").click();
    b.waitFor("the refusal", d -> b.text("#retention-msg").startsWith("Not saved"));
    assertThat(b.text("#retention-msg")).contains("at most 90 days on plan growth");
    assertThat(f.get("/v1/workspaces/" + PageFixture.WS + "/retention").get("policy").isNull()).isTrue();
  }
}
