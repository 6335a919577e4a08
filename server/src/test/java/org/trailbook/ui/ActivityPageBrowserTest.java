package org.trailbook.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.trailbook.demo.DemoData;
import tools.jackson.databind.JsonNode;

/**
 * The Activity Log page in a real headless Chromium, against a real server: signing in with a
 * viewer token, the table and pagination, the detail panel, keyboard use, saved views, refusal
 * of other roles, and event content shown as text only.
 */
class ActivityPageBrowserTest {
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

  private void signIn(String role) {
    b.open(f.loginUrl("u_riley", "Riley Park", role));
    b.waitFor("the login page to move on to /ui/", d -> d.getCurrentUrl().endsWith("/ui/"));
    b.waitIdle();
  }

  private List<String> ids(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("events").forEach(e -> out.add(e.get("id").asString()));
    return out;
  }

  @Test
  void signsInWithAViewerTokenAndPagesThroughTheNewestEvents() {
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < 45; i++) batch.append(i == 0 ? "" : ",").append("{\"id\":\"e").append(i).append("\",\"action\":\"contact.updated\",\"actor\":{\"name\":\"Ann\"}}");
    f.ingest(batch.append("]").toString());
    signIn("owner");
    assertThat(b.text("#who")).contains("Riley Park").contains("acme");
    assertThat(b.driver.manage().getCookieNamed("tb_session").isHttpOnly()).isTrue();

    b.open(f.base + "/ui/?scope=workspace");
    b.waitIdle();
    JsonNode first = f.get("/v1/events?range=7d&limit=20");
    assertThat(b.rowIds()).containsExactlyElementsOf(ids(first));
    // the sign-in itself is the newest entry of the log, by the person
    assertThat(b.text("#events tbody tr:first-child .c-actor")).isEqualTo("Riley Park");
    assertThat(first.get("events").get(0).get("action").asString()).isEqualTo("audit_log.viewer_signed_in");

    b.find("#older").click();
    b.waitIdle();
    JsonNode second = f.get("/v1/events?range=7d&limit=20&cursor=" + first.get("next_cursor").asString());
    assertThat(b.rowIds()).containsExactlyElementsOf(ids(second));
    b.find("#newer").click();
    b.waitIdle();
    assertThat(b.rowIds()).containsExactlyElementsOf(ids(first));
  }

  @Test
  void anAgentIsToldOnlyAdminsAndOwnersMayOpenTheLogAndGetsNoSession() {
    b.open(f.loginUrl("u_agent", "Agent Smith", "agent"));
    assertThat(b.text("#message-title")).isEqualTo("Only Admins and Owners can open the Activity Log");
    assertThat(b.text("#message-text")).contains("agent");
    assertThat(b.driver.manage().getCookies()).isEmpty();
    b.open(f.base + "/ui/");
    assertThat(b.text("#message-title")).isEqualTo("Sign in through your application");
  }

  @Test
  void aForgedOrReusedTokenGetsAClearErrorPage() {
    String url = f.loginUrl("u_riley", "Riley Park", "admin");
    b.open(url.substring(0, url.length() - 3) + (url.endsWith("AAA") ? "BBB" : "AAA"));
    assertThat(b.text("#message-title")).isEqualTo("This sign-in link is not valid");
    b.open(url);
    b.waitFor("the page", d -> d.getCurrentUrl().endsWith("/ui/"));
    b.open(url);
    assertThat(b.text("#message-title")).isEqualTo("This sign-in link was already used");
  }

  @Test
  void eventFieldsAreShownAsTextNeverAsHtml() {
    String evil = "<img src=x onerror=\\\"window.__xss=1\\\">";
    f.ingest("{\"id\":\"evil\",\"action\":\"note.created\",\"summary\":\"" + evil + " said hi\",\"actor\":{\"name\":\"<script>window.__xss=2</script>\"},"
        + "\"resource\":{\"type\":\"note\",\"id\":\"n1\",\"name\":\"<b>bold</b>\",\"url\":\"javascript:window.__xss=3\"},"
        + "\"changes\":{\"before\":{\"body\":\"" + evil + "\"},\"after\":{\"body\":\"<svg onload=window.__xss=4>\"}},"
        + "\"metadata\":{\"html\":\"<iframe src=javascript:window.__xss=5>\"}}");
    signIn("owner");
    b.open(f.base + "/ui/?scope=workspace");
    b.waitIdle();
    WebElement row = b.find("#events tbody tr[data-id='evil']");
    assertThat(row.findElement(By.className("c-summary")).getText()).isEqualTo("<img src=x onerror=\"window.__xss=1\"> said hi");
    assertThat(row.findElement(By.className("c-actor")).getText()).isEqualTo("<script>window.__xss=2</script>");
    row.click();
    b.waitFor("the detail panel", d -> b.find("#detail").isDisplayed());
    assertThat(b.text("#detail-body")).contains("<b>bold</b>").contains("<svg onload=window.__xss=4>").contains("<iframe src=javascript:window.__xss=5>");
    assertThat(b.all("#events tbody img, #events tbody script, #detail img, #detail script, #detail svg, #detail iframe, #detail b")).isEmpty();
    // a javascript: URL never becomes a link
    assertThat(b.all("#detail a")).isEmpty();
    assertThat(b.script("return window.__xss === undefined")).isEqualTo(true);
  }

  @Test
  void theDetailPanelShowsTheDiffRequestRetriesAndStackAndTheKeyboardDrivesIt() {
    f.ingest("[{\"id\":\"plan\",\"action\":\"subscription.updated\",\"actor\":{\"name\":\"Riley Park\",\"email\":\"riley@acme.example\"},"
        + "\"resource\":{\"type\":\"subscription\",\"id\":\"sub_9\",\"name\":\"Acme Pro\",\"url\":\"https://app.example/subs/sub_9\"},"
        + "\"context\":{\"ip\":\"203.0.113.7\",\"user_agent\":\"Mozilla/5.0 (X11; Linux) Firefox/140\"},"
        + "\"changes\":{\"before\":{\"plan\":\"basic\",\"seats\":5,\"billing\":{\"cycle\":\"monthly\"}},\"after\":{\"plan\":\"pro\",\"seats\":5,\"billing\":{\"cycle\":\"yearly\"}}}},"
        + "{\"id\":\"call\",\"type\":\"api_call\",\"action\":\"contacts.create\",\"http\":{\"method\":\"post\",\"url\":\"/api/contacts\",\"status_code\":201,\"latency_ms\":42,"
        + "\"request\":{\"headers\":{\"Content-Type\":\"application/json\"},\"body\":{\"email\":\"new@x.example\"}},\"response\":{\"body\":{\"id\":\"c_1\"}}}},"
        + "{\"id\":\"hook\",\"type\":\"webhook_delivery\",\"action\":\"webhook.delivered\",\"status\":\"failure\",\"webhook\":{\"event\":\"invoice.paid\",\"endpoint\":\"https://hooks.example/in\","
        + "\"retry_count\":2,\"attempts\":[{\"at\":\"2026-01-01T00:00:00Z\",\"status_code\":500,\"latency_ms\":120,\"error\":\"upstream exploded\"},{\"at\":\"2026-01-01T00:01:00Z\",\"status_code\":503}]},"
        + "\"error\":{\"message\":\"gave up\",\"type\":\"DeliveryError\",\"stack\":\"at deliver(hooks.js:12)\"}}]");
    signIn("owner");
    b.open(f.base + "/ui/?scope=workspace");
    b.waitIdle();
    assertThat(b.rowIds().subList(1, 4)).containsExactly("hook", "call", "plan"); // under the sign-in

    // keyboard: focus the webhook row, move down twice, Enter opens the update
    b.find("#events tbody tr[data-id='hook']").click();
    b.find("#detail-close").click();
    b.driver.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
    b.driver.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
    b.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    b.waitFor("the detail panel", d -> b.find("#detail").isDisplayed());
    assertThat(b.text("#detail-title")).isEqualTo("Subscription updated");
    assertThat(b.text("#detail-body")).contains("203.0.113.7").contains("Firefox/140").contains("riley@acme.example");
    assertThat(b.all("table.diff tbody tr")).extracting(r -> r.getDomAttribute("data-field")).containsExactly("billing.cycle", "plan");
    assertThat(b.text("table.diff tr[data-field='plan'] .before")).isEqualTo("basic");
    assertThat(b.text("table.diff tr[data-field='plan'] .after")).isEqualTo("pro");
    assertThat(b.text("table.diff tr[data-field='billing.cycle'] .after")).isEqualTo("yearly");
    assertThat(b.find("#detail a").getDomAttribute("href")).isEqualTo("https://app.example/subs/sub_9");
    b.screenshot("activity-log-detail.png");
    b.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    b.waitFor("the panel to close", d -> !b.find("#detail").isDisplayed());
    assertThat(b.driver.switchTo().activeElement().getDomAttribute("data-id")).isEqualTo("plan");

    b.find("#events tbody tr[data-id='call']").click();
    b.waitFor("the API call detail", d -> b.text("#detail-title").equals("Contacts create"));
    assertThat(b.text("#detail-body")).contains("POST /api/contacts").contains("201").contains("42 ms").contains("new@x.example").contains("\"id\": \"c_1\"");

    b.find("#events tbody tr[data-id='hook']").click();
    b.waitFor("the webhook detail", d -> b.text("#detail-title").equals("Webhook delivered"));
    assertThat(b.all("table.attempts tbody tr")).hasSize(2);
    assertThat(b.text("table.attempts")).contains("upstream exploded").contains("503");
    assertThat(b.text("#detail-body .stack")).isEqualTo("at deliver(hooks.js:12)");
    assertThat(b.text("#events tbody tr[data-id='hook'] .status")).isEqualTo("Failure");
    assertThat(b.find("#events tbody tr[data-id='hook'] .status").getDomAttribute("class")).contains("st-failure");
  }

  @Test
  void resourceLinksFollowTheConfiguredTemplate() {
    f.close();
    f = null;
    try (var server = org.trailbook.server.TestServer.start(org.trailbook.server.ServerConfig.fromEnvironment(java.util.Map.of()).withDataDir(dir.resolve("configured")),
        new UiConfig(UiConfig.parseResourceUrls("campaign=https://app.example/campaigns/{id}/view"), null))) {
      String key = server.workspaceWithKey("acme", "ingest", "read", "admin");
      server.http.post("/v1/events", key, "{\"id\":\"c\",\"action\":\"campaign.launched\",\"resource\":{\"type\":\"campaign\",\"id\":\"cmp 7\",\"name\":\"Summer\",\"url\":\"https://elsewhere.example\"}}").expect(201);
      String url = server.http.post("/v1/viewer-tokens", key, "{\"actor\":{\"id\":\"u1\"},\"role\":\"admin\"}").expect(201).json().get("url").asString();
      b.open(url);
      b.waitFor("the page", d -> d.getCurrentUrl().endsWith("/ui/"));
      b.open(url.substring(0, url.indexOf("/ui/")) + "/ui/?scope=workspace");
      b.waitIdle();
      b.find("#events tbody tr[data-id='c']").click();
      b.waitFor("the link", d -> !b.all("#detail a").isEmpty());
      assertThat(b.find("#detail a").getDomAttribute("href")).isEqualTo("https://app.example/campaigns/cmp%207/view");
    }
  }

  @Test
  void savedViewsKeepAFilterSetForThePerson() {
    signIn("admin");
    b.find("#f-q").sendKeys("status:failure refund");
    b.find("#f-q").sendKeys(Keys.ENTER);
    b.waitIdle();
    b.find("#scope-workspace").click();
    b.waitIdle();
    assertThat(b.driver.getCurrentUrl()).contains("scope=workspace").contains("q=status%3Afailure+refund");
    b.find("#view-name").sendKeys("Failed refunds");
    b.find("#view-save").click();
    b.waitFor("the view to be saved", d -> b.text("#views-msg").contains("Saved"));

    b.find("#reset").click();
    b.waitIdle();
    assertThat(b.find("#f-q").getDomProperty("value")).isEmpty();
    b.driver.navigate().refresh();
    b.waitIdle();
    b.waitFor("the saved views", d -> b.all("#views option").size() == 2);
    new org.openqa.selenium.support.ui.Select(b.find("#views")).selectByVisibleText("Failed refunds");
    b.waitFor("the view to apply", d -> d.getCurrentUrl().contains("q=status%3Afailure+refund"));
    b.waitIdle();
    assertThat(b.find("#f-q").getDomProperty("value")).isEqualTo("status:failure refund");
    assertThat(b.find("#scope-workspace").getDomAttribute("aria-pressed")).isEqualTo("true");

    JsonNode stored = f.server.http.get("/v1/views", f.key).expect(200).json();
    assertThat(stored.get("views")).isEmpty(); // the API key is another owner than the person

    b.find("#view-delete").click();
    b.waitFor("the view to be deleted", d -> b.text("#views-msg").contains("Deleted"));
    b.driver.navigate().refresh();
    b.waitIdle();
    b.waitFor("the views to load", d -> b.text("#views").contains("No saved views yet"));
  }

  @Test
  void theDemoPrintsALoginLinkForAnOwnerAndThePageFitsWideAndNarrowScreens() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DemoData.load(f.server.server(), 3000, f.base, new PrintStream(out, true, StandardCharsets.UTF_8));
    Matcher m = Pattern.compile("Activity Log for (.+) \\(Owner.*\\): (http://\\S+/ui/login\\?token=\\S+)").matcher(out.toString(StandardCharsets.UTF_8));
    assertThat(m.find()).as(out.toString(StandardCharsets.UTF_8)).isTrue();
    Matcher key = Pattern.compile("key \\(ingest, read, export, admin\\): (tbk_\\S+)").matcher(out.toString(StandardCharsets.UTF_8));
    assertThat(key.find()).isTrue();
    f.awaitIndex(key.group(1));
    b.open(m.group(2));
    b.waitFor("the page", d -> d.getCurrentUrl().endsWith("/ui/"));
    b.waitIdle();
    assertThat(b.text("#who")).contains(m.group(1)).contains("demo");
    // "My activity" of the demo owner is not empty: at least the sign-in, as the person
    assertThat(b.rowIds()).isNotEmpty();
    assertThat(b.all("#events tbody .c-actor")).allSatisfy(c -> assertThat(c.getText()).isEqualTo(m.group(1)));
    b.find("#scope-workspace").click();
    b.waitIdle();
    assertThat(b.rowIds()).hasSize(20);
    assertThat(b.script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")).isEqualTo(true);
    b.screenshot("activity-log.png");
    b.driver.manage().window().setSize(new org.openqa.selenium.Dimension(900, 800));
    b.waitFor("the narrow layout", d -> (Boolean) b.script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
    assertThat(b.find("#events").isDisplayed()).isTrue();
  }
}
