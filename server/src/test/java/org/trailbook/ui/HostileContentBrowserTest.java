package org.trailbook.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.trailbook.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One stored event must never break the page for everyone: events whose every free string is the name of an
 * {@code Object.prototype} member ({@code constructor}, {@code __proto__}, {@code toString}, {@code hasOwnProperty},
 * {@code valueOf}) or markup, some of them at the extreme times the API accepts (1970 and 9999), are shown as text by the
 * table, the detail panel (diff, headers, bodies, link), the charts and the filters, with no script error, no element
 * created from their markup and no prototype polluted.
 */
class HostileContentBrowserTest {
  static final List<String> NAMES = List.of("constructor", "__proto__", "toString", "hasOwnProperty", "valueOf");
  static final List<String> MARKUP = List.of("<img src=x onerror=\"window.__xss=1\">", "</script><script>window.__xss=2</script>",
      "{{x}} ${7*7} <svg onload=window.__xss=3>", "\"><iframe src=javascript:window.__xss=4>", "<b onmouseover=window.__xss=5>{{constructor}}</b>");
  static final List<String> STATUSES = List.of("success", "failure", "warning", "pending", "in_progress");
  /** The one resource type with a link template: a prototype name, so only an own-property lookup finds it. */
  static final String LINKED_TYPE = "toString";

  @TempDir Path dir;
  PageFixture f;
  Browser b;

  @BeforeEach
  void start() {
    f = new PageFixture(dir, new UiConfig(UiConfig.parseResourceUrls(LINKED_TYPE + "=https://app.example/t/{id}"), null));
    b = new Browser();
    b.recordErrors();
  }

  @AfterEach
  void stop() {
    if (b != null) b.close();
    if (f != null) f.close();
  }

  /** Event {@code proto-i}: every string a prototype name or markup, every object keyed by them too. */
  static ObjectNode hostile(int i) {
    String n = NAMES.get(i);
    String markup = MARKUP.get(i);
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("id", "proto-" + i).put("type", "constructor").put("action", n + "." + n).put("category", n).put("status", STATUSES.get(i)).put("summary", markup);
    e.putObject("actor").put("type", "user").put("id", n).put("name", n).put("email", n);
    e.putObject("resource").put("type", n).put("id", n).put("name", markup);
    e.putObject("context").put("ip", "10.0.0." + (i + 1)).put("user_agent", markup).put("request_id", n).put("session_id", n).put("location", n);
    ObjectNode changes = e.putObject("changes");
    ObjectNode before = changes.putObject("before");
    before.put("constructor", "before-constructor").put(n, markup).putObject("nested").put(n, 1);
    ObjectNode after = changes.putObject("after");
    after.put("toString", "after-toString").put(n, "after-" + n).putObject("nested").put(n, 2);
    ObjectNode http = e.putObject("http").put("method", "GET").put("url", "https://api.example/" + n).put("status_code", 500).put("latency_ms", 5);
    ObjectNode request = http.putObject("request");
    request.putObject("headers").put(n, markup).put("X-Trace", n);
    request.putObject("body").put(n, n);
    ObjectNode response = http.putObject("response");
    response.putObject("headers").put(n, n);
    response.put("body", markup);
    ObjectNode metadata = e.putObject("metadata").put(n, markup);
    metadata.putObject("__proto__").put("polluted", "yes");
    metadata.putObject("constructor").putObject("prototype").put("polluted", "yes");
    return e;
  }

  /** Events at the first and the last millisecond an event may have, named like prototype members as well. */
  static ObjectNode extreme(String id, String time) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("id", id).put("time", time).put("type", "constructor").put("action", "valueOf.__proto__").put("category", "valueOf").put("summary", MARKUP.get(0));
    e.putObject("actor").put("type", "user").put("id", "hasOwnProperty").put("name", MARKUP.get(1));
    e.putObject("resource").put("type", "__proto__").put("id", "constructor");
    return e;
  }

  @Test
  void prototypeNamesAndMarkupInEveryFieldShowAsTextAndBreakNothing() {
    ArrayNode batch = Json.MAPPER.createArrayNode();
    for (int i = 0; i < NAMES.size(); i++) batch.add(hostile(i));
    batch.add(extreme("t-min", "1970-01-01T00:00:00Z"));
    batch.add(extreme("t-max", "9999-12-31T23:59:59.999Z"));
    f.ingest(batch.toString());
    f.awaitIndex(f.key);
    b.open(f.loginUrl("u_riley", "Riley Park", "owner"));
    b.waitFor("the login page to move on to /ui/", d -> d.getCurrentUrl().endsWith("/ui/"));
    idle();
    // both error collectors are live: a console error shows in each (then the page's record starts afresh)
    b.script("console.error('collector probe')");
    assertThat(b.recordedErrors()).containsExactly("console.error: collector probe");
    assertThat(b.severeConsoleEntries()).anyMatch(m -> m.contains("collector probe"));
    b.script("window.__errors.length = 0");
    assertPageIsWhole();

    // the table: the last 7 days hold the five hostile events and the one from 9999 (the future counts in), not 1970
    b.open(f.base + "/ui/?scope=workspace");
    idle();
    assertThat(b.rowIds()).contains("proto-0", "proto-1", "proto-2", "proto-3", "proto-4", "t-max").doesNotContain("t-min");
    assertThat(b.rowIds().getFirst()).isEqualTo("t-max");
    for (int i = 0; i < NAMES.size(); i++) {
      WebElement row = b.find("#events tbody tr[data-id='proto-" + i + "']");
      assertThat(row.findElement(By.className("c-actor")).getText()).isEqualTo(NAMES.get(i));
      assertThat(row.findElement(By.className("c-cat")).getText()).isEqualTo(NAMES.get(i));
      assertThat(row.findElement(By.className("c-summary")).getText()).isEqualTo(MARKUP.get(i).strip());
      assertThat(row.findElement(By.className("type-icon")).getText()).isEqualTo("CO");
      assertThat(row.findElement(By.className("type-icon")).getDomAttribute("title")).isEqualTo("constructor");
    }
    assertPageIsWhole();

    // the charts and key figures: what the API says for the same window, drawn
    JsonNode stats = f.get("/v1/stats?range=7d&bucket=day");
    assertChartsShow(stats);

    // the category dropdown with its live counts, the type and status lists
    JsonNode facets = f.get("/v1/events?range=7d&limit=1&facets=category,type,status").get("facets");
    List<String> categoryOptions = b.all("#f-category option").stream().map(WebElement::getText).toList();
    for (var c : facets.get("category").properties()) assertThat(categoryOptions).contains(c.getKey() + " (" + c.getValue().asLong() + ")");
    assertThat(categoryOptions).contains("__proto__ (1)", "constructor (1)", "toString (1)", "hasOwnProperty (1)", "valueOf (2)");
    assertThat(optionLabels("#f-type")).contains("constructor (" + facets.get("type").get("constructor").asLong() + ")", "API call (0)");
    assertThat(optionLabels("#f-status")).contains("In progress (" + facets.get("status").get("in_progress").asLong() + ")");

    new Select(b.find("#f-category")).selectByValue("__proto__");
    b.waitFor("the category filter", d -> d.getCurrentUrl().contains("category=__proto__"));
    idle();
    assertThat(b.rowIds()).containsExactly("proto-1");
    assertPageIsWhole();

    b.open(f.base + "/ui/?scope=workspace&type=constructor&status=in_progress");
    idle();
    assertThat(b.rowIds()).containsExactly("proto-4");
    assertThat(b.find("#f-type input[value='constructor']").isSelected()).isTrue();
    b.find("#f-type summary").click();
    b.find("#f-type input[value='constructor']").click(); // unchecked: every type, status in_progress still
    b.waitFor("the type filter to go", d -> !d.getCurrentUrl().contains("type="));
    idle();
    assertThat(b.rowIds()).contains("proto-4");
    assertPageIsWhole();

    b.open(f.base + "/ui/?scope=workspace");
    idle();
    b.find("#f-actor").sendKeys("toString", Keys.ENTER);
    b.waitFor("the actor filter", d -> d.getCurrentUrl().contains("actor=toString"));
    idle();
    assertThat(b.rowIds()).containsExactly("proto-2");
    assertPageIsWhole();

    // a category from a link that no event has: a count of 0, not a count read off Object.prototype
    b.open(f.base + "/ui/?scope=workspace&category=isPrototypeOf");
    idle();
    assertThat(b.all("#f-category option").stream().map(WebElement::getText).toList()).contains("isPrototypeOf (0)");
    assertThat(b.rowIds()).isEmpty();
    assertPageIsWhole();

    // the detail panel of each: summary, facts, diff, headers, bodies, the link only where a template exists
    b.open(f.base + "/ui/?scope=workspace");
    idle();
    for (int i = 0; i < NAMES.size(); i++) assertDetail(i);

    b.find("#events tbody tr[data-id='t-max']").click();
    b.waitFor("the detail of the event from 9999", d -> b.text("#detail-body").contains("9999-12-31T23:59:59.999Z"));
    assertThat(b.text("#detail-body .d-summary")).isEqualTo(MARKUP.get(0));
    assertPageIsWhole();

    // a custom window from 1970 to 9999: the series is clamped, the charts still draw, 1970 shows in the table
    String from = "1970-01-01T00:00:00.000Z";
    String to = "9999-12-31T23:59:59.999Z";
    b.open(f.base + "/ui/?scope=workspace&range=custom&from=" + from + "&to=" + to);
    idle();
    assertThat(b.rowIds()).contains("t-min", "proto-0").doesNotContain("t-max"); // 'to' is exclusive
    assertThat(b.find("#bucket").getDomProperty("value")).isEqualTo("week");
    JsonNode wide = f.get("/v1/stats?from=" + enc(from) + "&to=" + enc(to) + "&bucket=week");
    assertThat(wide.get("series").size()).isLessThanOrEqualTo(5000);
    assertChartsShow(wide);
    assertPageIsWhole();
    b.screenshot("activity-log-hostile-content.png");
  }

  /** Waits for the page to finish loading; if it never does, says which script errors stopped it. */
  private void idle() {
    try {
      b.waitIdle();
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("the page did not finish loading " + b.driver.getCurrentUrl() + "; script errors: " + b.recordedErrors(), e);
    }
  }

  private List<String> optionLabels(String multi) {
    return b.all(multi + " .options label").stream().map(l -> l.getDomProperty("textContent").strip()).toList();
  }

  private void assertChartsShow(JsonNode stats) {
    assertThat(b.find("#stats-note").isDisplayed()).as("the stats note: " + b.text("#stats-note")).isFalse();
    assertThat(b.text("#kpi-total")).isEqualTo(String.format(java.util.Locale.ENGLISH, "%,d", stats.get("total").asLong()));
    assertThat(b.text("#donut .donut-total")).isEqualTo(b.text("#kpi-total"));
    assertThat(b.all("#volume svg g.bucket")).hasSize(stats.get("series").size());
    List<String> categories = new ArrayList<>();
    stats.get("by_category").forEach(c -> categories.add(c.get("category").asString()));
    assertThat(b.all("#by-category .bar .name").stream().map(WebElement::getText).toList()).containsExactlyElementsOf(categories);
    List<String> actors = new ArrayList<>();
    stats.get("top_actors").forEach(a -> actors.add(firstText(a, "name", "email", "id")));
    assertThat(b.all("#top-actors .who b").stream().map(WebElement::getText).toList()).containsExactlyElementsOf(actors);
  }

  private void assertDetail(int i) {
    String n = NAMES.get(i);
    JsonNode event = f.get("/v1/events/proto-" + i);
    b.find("#events tbody tr[data-id='proto-" + i + "']").click();
    b.waitFor("the detail of proto-" + i, d -> b.find("#detail").isDisplayed() && b.text("#detail-body .d-summary").equals(MARKUP.get(i).strip()));
    Map<String, String> facts = facts();
    assertThat(facts).containsEntry("Category", n).containsEntry("Type", "constructor").containsEntry("Action", n + "." + n)
        .containsEntry("Request id", n).containsEntry("Location", n).containsEntry("Device", MARKUP.get(i).strip());
    assertThat(facts.get("Actor")).startsWith(n);
    // the diff: one row per changed path, each side the value at that path or "(absent)"
    List<String> fields = new ArrayList<>();
    event.get("changes").get("fields").forEach(x -> fields.add(x.asString()));
    assertThat(b.all("table.diff tbody tr").stream().map(r -> r.getDomAttribute("data-field")).toList()).containsExactlyElementsOf(fields);
    for (WebElement row : b.all("table.diff tbody tr")) {
      String field = row.getDomAttribute("data-field");
      assertThat(row.findElement(By.cssSelector("th")).getText()).isEqualTo(field);
      assertThat(textOf(row.findElement(By.cssSelector(".before")))).as(field + " before").isEqualTo(valueText(event.get("changes").get("before"), field));
      assertThat(textOf(row.findElement(By.cssSelector(".after")))).as(field + " after").isEqualTo(valueText(event.get("changes").get("after"), field));
    }
    assertThat(b.all("#detail-body table.kv th").stream().map(WebElement::getText).toList()).containsExactlyInAnyOrder(n, "X-Trace", n);
    assertThat(b.text("#detail-body")).contains("GET https://api.example/" + n).contains(MARKUP.get(i).strip()).contains("\"polluted\": \"yes\"");
    List<WebElement> links = b.all("#detail-body a");
    if (n.equals(LINKED_TYPE)) {
      assertThat(links).hasSize(1);
      assertThat(links.getFirst().getDomAttribute("href")).isEqualTo("https://app.example/t/" + n);
    } else {
      assertThat(links).as("no link template for resource type " + n).isEmpty();
    }
    assertPageIsWhole();
  }

  /** The panel's facts, label to text. */
  private Map<String, String> facts() {
    Map<String, String> out = new LinkedHashMap<>();
    WebElement first = b.find("#detail-body dl.facts");
    List<WebElement> dts = first.findElements(By.tagName("dt"));
    List<WebElement> dds = first.findElements(By.tagName("dd"));
    for (int k = 0; k < dts.size(); k++) out.put(dts.get(k).getText(), dds.get(k).getText());
    return out;
  }

  private static String textOf(WebElement cell) {
    return cell.getDomProperty("textContent");
  }

  /** What the page shows for the value at a dotted path: a string as it is, absent as "(absent)", else JSON. */
  private static String valueText(JsonNode side, String path) {
    JsonNode v = side;
    for (String k : path.split("\\.")) {
      if (v == null || !v.isObject() || !v.has(k)) return "(absent)";
      v = v.get(k);
    }
    return v.isString() ? v.asString() : v.toString();
  }

  private static String firstText(JsonNode node, String... fields) {
    for (String field : fields) {
      JsonNode v = node.get(field);
      if (v != null && v.isString() && !v.asString().isEmpty()) return v.asString();
    }
    return "System";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * No script error or failed load so far, no element made from event markup, no prototype polluted, and the
   * browser console holds no error (the favicon, which the page does not have, aside).
   */
  private void assertPageIsWhole() {
    assertThat(b.recordedErrors()).as("errors on " + b.driver.getCurrentUrl()).isEmpty();
    assertThat(b.severeConsoleEntries()).as("console errors on " + b.driver.getCurrentUrl()).noneMatch(m -> !m.contains("/favicon.ico"));
    assertThat(b.script("return window.__xss === undefined && ({}).polluted === undefined && Object.prototype.polluted === undefined")).isEqualTo(true);
    assertThat(b.all("img, iframe, b[onmouseover], script:not([src])")).isEmpty();
    assertThat(b.all("script")).hasSize(1);
  }
}
