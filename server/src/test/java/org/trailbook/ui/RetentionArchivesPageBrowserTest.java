package org.trailbook.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.retention.SettableClock;
import tools.jackson.databind.JsonNode;

/**
 * The page's Retention dialog on a server with an archive target, after a purge really archived a range: the archive
 * is listed, archiving can be chosen, and once an admin restores the archive its entries show, marked as restored.
 */
class RetentionArchivesPageBrowserTest {
  @TempDir Path dir;

  @Test
  void theArchivesOfPurgedRangesAreListed() {
    SettableClock clock = new SettableClock(Instant.now());
    try (PageFixture f = new PageFixture(dir.resolve("data"), Map.of("TRAILBOOK_ARCHIVE_TARGET", dir.resolve("archives").toString()), clock)) {
      f.ingest("[{\"id\":\"old-1\",\"action\":\"invoice.paid\"},{\"id\":\"old-2\",\"action\":\"invoice.paid\"}]");
      clock.advance(Duration.ofDays(40));
      f.ingest("{\"id\":\"new-1\",\"action\":\"invoice.paid\"}");
      f.http.put("/v1/workspaces/" + PageFixture.WS + "/retention", f.key, "{\"days\": 30, \"archive\": true}").expect(200);
      f.get("/v1/events/new-1/proof"); // a proof signs a checkpoint covering the entry at once: the purge may reach it
      JsonNode run = f.http.post("/v1/workspaces/" + PageFixture.WS + "/retention/run", f.key, "").expect(200).json().get("purged");
      assertThat(run.isNull()).as("the two old entries are purged").isFalse();
      String name = String.format("%020d-%020d.tbarchive.zst", run.get("from_seq").asLong(), run.get("to_seq").asLong());

      try (Browser b = new Browser()) {
        b.open(f.loginUrl("u_riley", "Riley Park", "admin"));
        b.waitFor("the page", d -> d.getCurrentUrl().endsWith("/ui/"));
        b.waitIdle();
        b.waitFor("the Retention button", d -> b.find("#retention-open").isDisplayed());
        b.find("#retention-open").click();
        b.waitFor("the archive list", d -> !b.all("#retention-archives li.archive").isEmpty());
        assertThat(b.text("#retention-archives")).startsWith(name + " — ");
        assertThat(b.find("#retention-archive").isEnabled()).isTrue();
        assertThat(b.find("#retention-archive").isSelected()).isTrue();
        assertThat(b.text("#retention-facts")).contains("Archive before purge\nYes");
        assertThat(b.all("#restored-show")).as("nothing restored yet").isEmpty();

        // an admin restores the archive as a read-only view: the page shows its entries, each marked as restored
        f.http.post("/v1/workspaces/" + PageFixture.WS + "/archives/" + name + "/restore", f.key, "{}").expect(200);
        b.find("#retention-form button[value='close']").click();
        b.find("#retention-open").click();
        b.waitFor("the restored view", d -> !b.all("#restored-show").isEmpty());
        b.find("#restored-show").click();
        b.waitFor("the restored entries", d -> !b.all("#restored-entries li.restored-entry").isEmpty());
        java.util.List<String> restored = b.all("#restored-entries li.restored-entry").stream().map(org.openqa.selenium.WebElement::getText).toList();
        assertThat(restored).hasSize((int) (run.get("to_seq").asLong() - run.get("from_seq").asLong()))
            .allSatisfy(text -> assertThat(text).startsWith("Restored seq ").contains(name));
        assertThat(restored.stream().filter(text -> text.contains("invoice.paid"))).as("the two purged events").hasSize(2);
        assertThat(b.text("#restored-entries")).doesNotContain("new-1");
      }
    }
  }
}
