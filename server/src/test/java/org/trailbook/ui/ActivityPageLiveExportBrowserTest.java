package org.trailbook.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Live toggle ({@code GET /v1/events/stream}, SSE) and the Export dialog ({@code POST
 * /v1/exports}, {@code GET /v1/exports/{id}}), whose APIs come from a later issue. Excluded from
 * the default run in server/pom.xml until they exist; run it with
 * {@code ./mvnw -pl server test -Dtest=ActivityPageLiveExportBrowserTest}.
 */
class ActivityPageLiveExportBrowserTest {
  @TempDir Path dir;
  PageFixture f;
  Browser b;

  @BeforeEach
  void start() {
    f = new PageFixture(dir);
    b = new Browser();
    b.open(f.loginUrl("u_riley", "Riley Park", "owner"));
    b.waitFor("the page", d -> d.getCurrentUrl().endsWith("/ui/"));
    b.open(f.base + "/ui/?scope=workspace");
    b.waitIdle();
  }

  @AfterEach
  void stop() {
    if (b != null) b.close();
    if (f != null) f.close();
  }

  @Test
  void liveShowsNewEventsOnTopAndCountsThemWhilePaused() {
    b.find("#live").click();
    b.waitFor("the stream to connect", d -> b.text("#live-state").equals("Live · connected"));
    f.ingest("{\"id\":\"fresh-1\",\"action\":\"campaign.launched\"}");
    b.waitFor("the new event on top", d -> "fresh-1".equals(b.rowIds().get(0)));

    b.find("#live-pause").click();
    f.ingest("[{\"id\":\"fresh-2\",\"action\":\"x.created\"},{\"id\":\"fresh-3\",\"action\":\"x.created\"}]");
    b.waitFor("the paused counter", d -> b.find("#live-count").isDisplayed() && b.text("#live-count").equals("2 new while paused"));
    assertThat(b.rowIds().get(0)).isEqualTo("fresh-1");
    b.find("#live-pause").click();
    b.waitFor("the waiting events on top", d -> b.rowIds().subList(0, 3).equals(java.util.List.of("fresh-3", "fresh-2", "fresh-1")));
    assertThat(b.find("#live-count").isDisplayed()).isFalse();
  }

  @Test
  void exportsTheCurrentFiltersAndOffersTheDownload() {
    f.ingest("{\"id\":\"to-export\",\"action\":\"invoice.paid\",\"category\":\"billing\"}");
    b.open(f.base + "/ui/?scope=workspace&category=billing");
    b.waitIdle();
    b.find("#export-open").click();
    assertThat(b.text("#export-filters")).contains("category billing");
    b.find("#export-form input[value='ndjson']").click();
    b.find("#export-start").click();
    b.waitFor("the download link", d -> !b.all("#export-link").isEmpty());
    String href = b.find("#export-link").getDomAttribute("href");
    Object body = b.driver.executeAsyncScript("const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done, e => done(String(e)));", href);
    assertThat((String) body).contains("\"id\":\"to-export\"");
  }
}
