package org.trailbook.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.server.TestServer;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * CSV exports through the real API stay inert in spreadsheets: hostile values in every free-text field (and in column
 * names) are exported, and the file is read the ways a spreadsheet or script might — RFC 4180 with {@code ,}, a
 * quote-aware reader with {@code ;} (two flavours of quote handling), and a naive split on {@code ;} and line breaks —
 * and no resulting cell may begin with a formula character.
 */
class CsvInjectionTest {
  @TempDir static Path dir;
  static TestServer server;
  static String key;

  static final List<String> HOSTILE = List.of(
      "=cmd|' /C calc'!A0", "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(1,2)", "\t=1+1", "\r=1+1", "  =1+1", "\u3000=1+1",
      "\u00a0@x", "＝1+1", "＋1", "－1", "＠SUM(A1)", "\"=1+1", "\" =1+1\"", "a;=cmd|' /C calc'!A0", "a;;@x", "a; -1",
      "x\";=1", "x;\"=1", "x;\"\"=1", "a,=1;b", "two\r\n=lines", "two\n+lines", "two\r-lines", "ok;\r\n@x",
      "'already", "plain text", "-", "=", "a;", ";", ";=");
  static final List<String> FIELDS = List.of("actor.name", "actor.email", "actor.id", "resource.type", "resource.id", "resource.name",
      "resource.url", "context.user_agent", "context.request_id", "context.location", "error.message", "error.stack", "error.type",
      "job.name", "job.trigger", "metadata.p", "metadata.nested.deep", "metadata.neg", "metadata.list", "summary");

  @BeforeAll
  static void start() {
    server = TestServer.start(dir);
    key = server.workspaceWithKey("acme", "ingest", "read", "export");
    ArrayNode batch = Json.MAPPER.createArrayNode();
    for (int i = 0; i < HOSTILE.size(); i++) {
      String p = HOSTILE.get(i);
      ObjectNode e = batch.addObject().put("id", "h" + i).put("type", "background_job").put("action", "import.failed").put("status", "failure");
      e.putObject("actor").put("type", "user").put("name", p).put("email", p).put("id", p);
      e.putObject("resource").put("type", p).put("id", p).put("name", p).put("url", p);
      e.putObject("context").put("user_agent", p).put("request_id", p).put("location", p);
      e.putObject("error").put("message", p).put("stack", p).put("type", p);
      e.putObject("job").put("name", p).put("trigger", p);
      ObjectNode m = e.putObject("metadata").put("p", p).put("neg", -5 - i);
      m.putObject("nested").put("deep", p);
      m.putArray("list").add(-1).add(p);
      if (p.indexOf('\n') < 0 && p.indexOf('\r') < 0) e.put("summary", p);
    }
    server.http.post("/v1/events", key, batch.toString()).expect(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String export(List<String> columns) {
    String cols = URLEncoder.encode(String.join(",", columns), StandardCharsets.UTF_8);
    return server.http.get("/v1/exports/download?format=csv&action=import.failed&columns=" + cols, key).expect(200).body();
  }

  @Test
  void noCellStartsAFormulaWhetherSplitOnCommaOrSemicolon() {
    List<String> columns = new ArrayList<>(FIELDS);
    columns.addAll(List.of("=HYPERLINK(1)", "metadata.;=x", "+metadata", "time", "seq"));
    String csv = export(columns);

    List<List<String>> rfc = Csv.parse(csv);
    assertThat(rfc).hasSize(HOSTILE.size() + 1);
    assertThat(rfc).allSatisfy(row -> assertThat(row).hasSize(columns.size()));
    assertInert(rfc, "RFC 4180 with ','");
    assertInert(quoteAware(csv, ';', true), "';' toggling quotes on every quote character");
    assertInert(quoteAware(csv, ';', false), "';' with quotes honoured only at a field's start");
    assertInert(naive(csv, ';'), "a naive split on line breaks and ';'");
    assertInert(quoteAware(csv, ',', false), "',' with quotes honoured only at a field's start");
  }

  @Test
  void theTextSurvivesApartFromTheGuardsAndEveryCellIsQuoted() {
    String csv = export(List.of("metadata.p", "metadata.neg", "metadata.list"));
    List<List<String>> rows = Csv.parse(csv);
    for (String line : csv.split("\r\n(?=\")")) assertThat(line).startsWith("\"");
    assertThat(csv).doesNotContain("\r\n,").doesNotContain(",,");
    List<String> values = rows.subList(1, rows.size()).stream().map(r -> r.get(0)).toList();
    assertThat(values).contains("'=cmd|' /C calc'!A0", "'  =1+1", "'\u3000=1+1", "'＝1+1", "'\"=1+1", "a;'=cmd|' /C calc'!A0", "a;;'@x",
        "a;' -1", "x\";'=1", "x;'\"=1", "a,=1;b", "two\r\n'=lines", "'\t=1+1", "'\r'=1+1", "'already", "plain text", "a;", ";", ";'=");
    // numbers are cells like the others: a negative one is guarded too; JSON arrays keep their commas intact
    assertThat(rows.get(1).get(1)).isEqualTo("'-5");
    assertThat(rows.get(1).get(2)).isEqualTo("[-1,\"=cmd|' /C calc'!A0\"]");
  }

  /** Fails if a cell begins — after whitespace and quotes — with a formula character, or begins with tab or CR. */
  private static void assertInert(List<List<String>> rows, String how) {
    for (List<String> row : rows) {
      for (String cell : row) {
        assertThat(startsFormula(cell)).as("read as %s, a cell starts a formula: [%s]", how, cell).isFalse();
      }
    }
  }

  static boolean startsFormula(String cell) {
    if (cell.isEmpty()) return false;
    if (cell.charAt(0) == '\t' || cell.charAt(0) == '\r') return true;
    for (int i = 0; i < cell.length(); i++) {
      char c = cell.charAt(i);
      if (c == '"' || Character.isWhitespace(c) || Character.isSpaceChar(c)) continue;
      return "=+-@＝＋－＠".indexOf(c) >= 0;
    }
    return false;
  }

  /**
   * A spreadsheet-like reader with separator {@code sep}. {@code toggle}: every quote character toggles quoting
   * ({@code ""} inside quotes is a quote); otherwise a field is quoted only if it starts with a quote, and after its
   * closing quote the rest up to the separator is taken literally.
   */
  static List<List<String>> quoteAware(String text, char sep, boolean toggle) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean inQuotes = false;
    boolean fieldStart = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inQuotes) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          inQuotes = false;
        } else {
          field.append(c);
        }
        continue;
      }
      if (c == '"' && (toggle || fieldStart)) {
        inQuotes = true;
        fieldStart = false;
      } else if (c == sep) {
        row.add(field.toString());
        field.setLength(0);
        fieldStart = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        fieldStart = true;
      } else {
        field.append(c);
        fieldStart = false;
      }
    }
    if (!field.isEmpty() || !row.isEmpty()) {
      row.add(field.toString());
      rows.add(row);
    }
    return rows;
  }

  /** Splits on every line break and every {@code sep}, quotes or not. */
  static List<List<String>> naive(String text, char sep) {
    List<List<String>> rows = new ArrayList<>();
    for (String line : text.split("\r\n|\r|\n", -1)) rows.add(List.of(line.split(java.util.regex.Pattern.quote(String.valueOf(sep)), -1)));
    return rows;
  }
}
