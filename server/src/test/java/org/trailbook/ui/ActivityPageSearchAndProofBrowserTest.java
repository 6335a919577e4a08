package org.trailbook.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;
import org.trailbook.demo.DemoData;
import tools.jackson.databind.JsonNode;

/**
 * The parts of the page on the search and integrity APIs: KPI cards and charts from {@code GET
 * /v1/stats}, filters with live facet counts and the search language on {@code GET /v1/events},
 * "My activity", and in-browser verification of {@code GET /v1/events/{id}/proof}.
 */
class ActivityPageSearchAndProofBrowserTest {
  @TempDir Path dir;
  PageFixture f;
  Browser b;

  @BeforeEach
  void start() {
    f = new PageFixture(dir);
    b = new Browser();
  }

  @AfterEach
  void stop() {
    if (b != null) b.close();
    if (f != null) f.close();
  }

  private void signIn() {
    b.open(f.loginUrl("u_riley", "Riley Park", "owner"));
    b.waitFor("the page", d -> d.getCurrentUrl().endsWith("/ui/"));
    b.waitIdle();
  }

  private static String n(JsonNode v) {
    return String.format(Locale.US, "%,d", v.asLong());
  }

  private static List<String> ids(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("events").forEach(e -> out.add(e.get("id").asString()));
    return out;
  }

  private void seed() {
    StringBuilder batch = new StringBuilder("[");
    String[] categories = {"auth", "billing", "contacts"};
    String[] statuses = {"success", "failure", "warning"};
    for (int i = 0; i < 60; i++) {
      batch.append(i == 0 ? "" : ",").append("{\"id\":\"s").append(i).append("\",\"type\":\"").append(i % 3 == 0 ? "auth" : "user_action")
          .append("\",\"action\":\"").append(categories[i % 3]).append(i % 3 == 0 ? ".login" : ".updated").append("\",\"status\":\"").append(statuses[i % 3 == 0 ? (i / 3) % 3 : (i % 2)])
          .append("\",\"actor\":{\"id\":\"u_").append(i % 4).append("\",\"name\":\"User ").append(i % 4).append("\"},\"context\":{\"ip\":\"10.0.0.").append(i % 7).append("\"}")
          .append(",\"summary\":\"refund number ").append(i).append("\"}");
    }
    f.ingest(batch.append("]").toString());
  }

  @Test
  void kpisAndChartsShowWhatStatsSays() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DemoData.load(f.server.server(), 5000, f.base, new PrintStream(out, true, StandardCharsets.UTF_8));
    Matcher m = Pattern.compile("(http://\\S+/ui/login\\?token=\\S+)").matcher(out.toString(StandardCharsets.UTF_8));
    assertThat(m.find()).isTrue();
    Matcher k = Pattern.compile("key \\(ingest, read, export, admin\\): (tbk_\\S+)").matcher(out.toString(StandardCharsets.UTF_8));
    assertThat(k.find()).isTrue();
    f.awaitIndex(k.group(1));
    b.open(m.group(1));
    b.waitFor("the page", d -> d.getCurrentUrl().endsWith("/ui/"));
    b.open(f.base + "/ui/?scope=workspace");
    b.waitIdle();
    JsonNode stats = f.http.get("/v1/stats?range=7d&bucket=day", k.group(1)).expect(200).json();
    assertThat(b.text("#kpi-total")).isEqualTo(n(stats.get("total")));
    assertThat(b.text("#kpi-sign-ins")).isEqualTo(n(stats.get("sign_ins")));
    assertThat(b.text("#kpi-writes")).isEqualTo(n(stats.get("writes")));
    assertThat(b.text("#kpi-reads")).isEqualTo(n(stats.get("reads_other")));
    assertThat(b.text("#kpi-ips")).isEqualTo(n(stats.get("unique_ips")));
    assertThat(b.all("#volume svg g.bucket")).hasSize(stats.get("series").size());
    assertThat(b.all("#top-actors li")).hasSize(Math.min(4, stats.get("top_actors").size()));
    long nonZero = 0;
    for (JsonNode c : stats.get("by_category")) if (c.get("count").asLong() > 0) nonZero++;
    assertThat(b.all("#by-category .bar")).hasSize((int) nonZero);
    assertThat(b.find("#stats-note").isDisplayed()).isFalse();
    b.screenshot("activity-log.png");
  }

  @Test
  void filteringByCategoryAndStatusShowsWhatTheApiReturnsWithLiveCounts() {
    seed();
    signIn();
    b.open(f.base + "/ui/?scope=workspace");
    b.waitIdle();
    JsonNode all = f.get("/v1/events?range=7d&limit=20&facets=category,type,status");
    String billingOption = "billing (" + all.get("facets").get("category").get("billing").asLong() + ")";
    new Select(b.find("#f-category")).selectByVisibleText(billingOption);
    b.waitFor("the URL to carry the filter", d -> d.getCurrentUrl().contains("category=billing"));
    b.waitIdle();
    assertThat(b.rowIds()).containsExactlyElementsOf(ids(f.get("/v1/events?range=7d&limit=20&category=billing")));

    b.find("#f-status summary").click();
    b.find("#f-status input[value='failure']").click();
    b.waitFor("the URL to carry the status", d -> d.getCurrentUrl().contains("status=failure"));
    b.waitIdle();
    JsonNode filtered = f.get("/v1/events?range=7d&limit=20&category=billing&status=failure");
    assertThat(b.rowIds()).isNotEmpty().containsExactlyElementsOf(ids(filtered));
    assertThat(b.all("#events tbody .status")).allSatisfy(s -> assertThat(s.getText()).isEqualTo("Failure"));

    // a shared link opens the same view
    String shared = b.driver.getCurrentUrl();
    b.find("#reset").click();
    b.waitIdle();
    b.open(shared);
    b.waitIdle();
    assertThat(b.rowIds()).containsExactlyElementsOf(ids(filtered));
  }

  @Test
  void searchShowsMatchesAndAMalformedQueryInline() {
    seed();
    signIn();
    b.open(f.base + "/ui/?scope=workspace");
    b.waitIdle();
    b.find("#f-q").sendKeys("\"refund number 42\"", Keys.ENTER);
    b.waitFor("the URL to carry the search", d -> d.getCurrentUrl().contains("q="));
    b.waitIdle();
    assertThat(b.rowIds()).containsExactlyElementsOf(ids(f.get("/v1/events?range=7d&limit=20&q=%22refund%20number%2042%22")));
    assertThat(b.find("#query-error").isDisplayed()).isFalse();

    b.find("#f-q").clear();
    b.find("#f-q").sendKeys("status:(failure", Keys.ENTER);
    b.waitIdle();
    JsonNode error = f.http.get("/v1/events?range=7d&q=status%3A%28failure", f.key).expect(400).json();
    assertThat(error.get("error").get("code").asString()).isEqualTo("invalid_query");
    assertThat(b.find("#query-error").isDisplayed()).isTrue();
    assertThat(b.text("#query-error")).isEqualTo("Search: " + error.get("error").get("message").asString()).contains("position");
    assertThat(b.find("#f-q").getDomAttribute("aria-invalid")).isEqualTo("true");
  }

  @Test
  void verifiesAnEntryAndReportsATamperedProof() {
    f.ingest("[{\"id\":\"a\",\"action\":\"x.created\"},{\"id\":\"b\",\"action\":\"x.updated\"},{\"id\":\"c\",\"action\":\"x.deleted\"}]");
    signIn();
    b.open(f.base + "/ui/?scope=workspace");
    b.waitIdle();
    b.find("#events tbody tr[data-id='b']").click();
    b.find("#verify").click();
    b.waitFor("the verdict", d -> b.text("#verify-result").startsWith("✓") || b.text("#verify-result").startsWith("✗"));
    assertThat(b.text("#verify-result")).startsWith("✓ Verified").contains("inclusion proof");

    // corrupt one hash of the next proof response on its way into the page
    b.script("const real = window.fetch; window.fetch = async (url, opts) => { const res = await real(url, opts);"
        + " if (!String(url).endsWith('/proof')) return res; const p = await res.json();"
        + " const h = p.inclusion_proof.hashes; if (h.length) h[0] = (h[0][0] === 'A' ? 'B' : 'A') + h[0].slice(1);"
        + " else p.entry = p.entry.replace('x.updated', 'x.removed');"
        + " return new Response(JSON.stringify(p), {status: 200, headers: {'Content-Type': 'application/json'}}); };");
    b.find("#verify").click();
    b.waitFor("the failure", d -> b.text("#verify-result").startsWith("✗"));
    assertThat(b.text("#verify-result")).startsWith("✗ Verification failed").contains("does not match the checkpoint root");
    b.screenshot("activity-log-verify-failed.png");
  }
}
