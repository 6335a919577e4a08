package org.trailbook.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.SignedNote;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.ProofVerifier;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/** Direct downloads in every format, their limits, and that every export is recorded in the log. */
class ExportApiTest {
  @TempDir static Path dir;
  static TestServer server;
  static String key;
  static int size;

  @BeforeAll
  static void start() {
    server = TestServer.start(ServerConfig.fromEnvironment(Map.of()).withDataDir(dir.resolve("data"))
        // downloads count against the hourly export allowance too: this class makes more than the default 10
        .withExports(ExportConfig.DEFAULTS.withMaxEntries(3000).withJobsPerHour(1000)));
    key = server.workspaceWithKey("acme", "ingest", "read", "export");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 2500; i++) {
      b.append(i % 500 > 0 ? "," : "[").append("{\"id\":\"e").append(i).append("\",\"type\":\"").append(i % 5 == 0 ? "auth" : "user_action")
          .append("\",\"action\":\"thing.done\",\"actor\":{\"type\":\"user\",\"id\":\"u").append(i % 7).append("\",\"email\":\"riley").append(i % 7)
          .append("@example.com\"},\"context\":{\"ip\":\"203.0.113.").append(i % 200).append("\"},\"metadata\":{\"n\":").append(i).append("}}");
      if (i % 500 == 499) {
        server.http.post("/v1/events", key, b.append("]").toString()).expect(201);
        b.setLength(0);
      }
    }
    server.http.post("/v1/events", key, """
        {"id":"evil","type":"api_call","action":"contact.import","actor":{"type":"user","name":"=HYPERLINK(\\"http://x\\")","email":"@evil.com"},
         "http":{"method":"POST","url":"/x","status_code":502},"summary":"+SUM(1,2), with \\"quotes\\"",
         "metadata":{"plan":"-1","neg":-5,"tab":"\\tx","a.b":"dotted","list":[1,2],"note":"two\\r\\nlines"}}""").expect(201);
    size = (int) server.server().integrity().treeSize("acme");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<String> ndjsonLines(String body) {
    assertThat(body).endsWith("\n");
    return List.of(body.substring(0, body.length() - 1).split("\n", -1));
  }

  @Test
  void ndjsonLinesAreTheCanonicalEntriesAndHashToTheMerkleLeaves() throws Exception {
    var r = server.http.get("/v1/exports/download?format=ndjson", key).expect(200);
    assertThat(r.header("Content-Type")).startsWith("application/x-ndjson");
    assertThat(r.header("Content-Disposition")).contains("attachment").contains(".ndjson");
    List<String> lines = ndjsonLines(r.body());
    assertThat(lines.size()).isGreaterThanOrEqualTo(size); // other tests' exports are recorded in this log too
    assertThat(r.header("Trailbook-Export-Count")).isEqualTo(Integer.toString(lines.size()));
    for (int i = 0; i < lines.size(); i++) assertThat(Json.MAPPER.readTree(lines.get(i)).get("seq").asLong()).isEqualTo(i);
    assertThat(lines.get(1000)).isEqualTo(server.http.get("/v1/log/entries?start=1000&end=1001", key).expect(200).body().strip());
    server.server().integrity().signDue();
    String note = server.http.get("/v1/log/checkpoint", key).expect(200).body();
    Checkpoint cp = Checkpoint.parse(SignedNote.parse(note).text());
    for (int seq : new int[] {0, 1, 777, 2048, size - 1}) {
      byte[] line = lines.get(seq).getBytes(StandardCharsets.UTF_8);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((byte) 0);
      Hash leaf = Hash.of(sha.digest(line));
      JsonNode proof = server.http.get("/v1/log/proof/inclusion?index=" + seq + "&size=" + cp.treeSize(), key).expect(200).json();
      ProofVerifier.verifyInclusion(BundleVerifierAccess.proof(proof.toString()), leaf, cp.rootHash());
    }
  }

  @Test
  void jsonIsAnArrayOfTheSameEntriesMinifiedOrPretty() {
    String filter = "&type=auth&from=2000-01-01T00:00:00Z";
    List<String> lines = ndjsonLines(server.http.get("/v1/exports/download?format=ndjson" + filter, key).expect(200).body());
    assertThat(lines).hasSize(500);
    String minified = server.http.get("/v1/exports/download?format=json" + filter, key).expect(200).body();
    assertThat(minified).isEqualTo("[" + String.join(",", lines) + "]\n");
    String pretty = server.http.get("/v1/exports/download?format=json&pretty=true" + filter, key).expect(200).body();
    assertThat(pretty).contains("\n    \"action\" : ").hasSizeGreaterThan(minified.length());
    JsonNode parsed = Json.MAPPER.readTree(pretty);
    assertThat(parsed.size()).isEqualTo(500);
    for (int i = 0; i < 500; i += 97) assertThat(parsed.get(i)).isEqualTo(Json.MAPPER.readTree(lines.get(i)));
    // log order: seq ascending
    for (int i = 1; i < 500; i++) assertThat(parsed.get(i).get("seq").asLong()).isGreaterThan(parsed.get(i - 1).get("seq").asLong());
  }

  @Test
  void csvRoundTripsThroughAnRfc4180ParserWithFormulasNeutralised() {
    var r = server.http.get("/v1/exports/download?format=csv&q=id:evil", key).expect(200);
    assertThat(r.header("Content-Type")).startsWith("text/csv");
    List<List<String>> rows = Csv.parse(r.body());
    assertThat(rows.getFirst()).containsExactly("time", "type", "action", "category", "status", "actor.type", "actor.id", "actor.name",
        "actor.email", "resource.type", "resource.id", "resource.name", "context.ip", "summary");
    assertThat(rows).hasSize(2);
    List<String> row = rows.get(1);
    assertThat(row.get(2)).isEqualTo("contact.import");
    assertThat(row.get(7)).isEqualTo("'=HYPERLINK(\"http://x\")");
    assertThat(row.get(8)).isEqualTo("'@evil.com");
    assertThat(row.get(13)).isEqualTo("'+SUM(1,2), with \"quotes\"");
    String cols = "action,http.status_code,metadata.plan,metadata.neg,metadata.tab,metadata.a.b,metadata.list,missing.path,metadata.note";
    List<List<String>> custom = Csv.parse(server.http.get("/v1/exports/download?format=csv&q=id:evil&columns=" + cols, key).expect(200).body());
    assertThat(custom.get(0)).containsExactly(cols.split(","));
    assertThat(custom.get(1)).containsExactly("contact.import", "502", "'-1", "'-5", "'\tx", "dotted", "[1,2]", "", "two\r\nlines");
    // every other row agrees with the JSON of the same entries
    List<List<String>> many = Csv.parse(server.http.get("/v1/exports/download?format=csv&type=auth&columns=id,seq,actor.email,metadata.n", key).expect(200).body());
    List<String> lines = ndjsonLines(server.http.get("/v1/exports/download?format=ndjson&type=auth", key).expect(200).body());
    assertThat(many).hasSize(lines.size() + 1);
    for (int i = 0; i < lines.size(); i++) {
      JsonNode e = Json.MAPPER.readTree(lines.get(i));
      assertThat(many.get(i + 1)).containsExactly(e.get("id").asString(), e.get("seq").toString(), e.at("/actor/email").asString(),
          e.at("/metadata/n").toString());
    }
  }

  @Test
  void redactionMasksEmailsIpsAndBodies() {
    List<String> lines = ndjsonLines(server.http.get("/v1/exports/download?format=ndjson&redaction=external&type=auth", key).expect(200).body());
    JsonNode first = Json.MAPPER.readTree(lines.getFirst());
    assertThat(first.at("/actor/email").asString()).isEqualTo("r***@example.com");
    assertThat(first.at("/context/ip").asString()).endsWith(".0");
    assertThat(first.get("redaction").asString()).isEqualTo("external");
    assertThat(Redaction.maskString("2001:db8:1:2:3::9")).isEqualTo("2001:db8:1:0:0:0:0:0");
  }

  @Test
  void badParametersAndTheLimitAreClear400s() {
    assertThat(server.http.get("/v1/exports/download?format=xml", key).expect(400).body()).contains("format");
    assertThat(server.http.get("/v1/exports/download", key).expect(400).body()).contains("format");
    assertThat(server.http.get("/v1/exports/download?format=csv&status=nope", key).expect(400).body()).contains("status");
    assertThat(server.http.get("/v1/exports/download?format=csv&redaction=all", key).expect(400).body()).contains("redaction");
    assertThat(server.http.get("/v1/exports/download?format=csv&bogus=1", key).expect(400).body()).contains("bogus");
    String other = server.workspaceWithKey("big", "ingest", "read", "export");
    for (int batch = 0; batch < 4; batch++) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < 751; i++) b.append(i > 0 ? "," : "").append("{\"action\":\"x.y\"}");
      server.http.post("/v1/events", other, b.append("]").toString()).expect(201);
    }
    JsonNode err = server.http.get("/v1/exports/download?format=ndjson", other).expect(400).json();
    assertThat(err.at("/error/code").asString()).isEqualTo("export_too_large");
    assertThat(err.at("/error/message").asString()).contains("3000");
    server.http.get("/v1/exports/download?format=ndjson&q=x.y&from=2000-01-01T00:00:00Z", other).expect(400);
    server.http.get("/v1/exports/download?format=ndjson", server.key("acme", "read")).expect(403);
  }

  @Test
  void everyExportIsRecordedAsAuditLogExported() {
    String k = server.workspaceWithKey("audited", "ingest", "read", "export");
    server.http.post("/v1/events", k, "[{\"action\":\"a.b\"},{\"action\":\"a.c\"}]").expect(201);
    server.http.get("/v1/exports/download?format=csv&action=a.*", k).expect(200);
    JsonNode found = server.http.get("/v1/events?action=audit_log.exported", k).expect(200).json().get("events");
    assertThat(found.size()).isEqualTo(1);
    JsonNode e = found.get(0);
    assertThat(e.get("type").asString()).isEqualTo("security");
    assertThat(e.get("category").asString()).isEqualTo("audit_log");
    assertThat(e.at("/actor/type").asString()).isEqualTo("api_key");
    assertThat(e.at("/actor/id").asString()).isNotBlank();
    assertThat(e.at("/metadata/format").asString()).isEqualTo("csv");
    assertThat(e.at("/metadata/count").asLong()).isEqualTo(2);
    assertThat(e.at("/metadata/filters/action/0").asString()).isEqualTo("a.*");
  }

  @Test
  void anExportHoldsAtMostOnePageWhateverItsSize() {
    // 2,501 entries through both paths (journal pages and index pages): never more than one page held at once
    server.http.get("/v1/exports/download?format=ndjson", key).expect(200);
    server.http.get("/v1/exports/download?format=csv&from=2000-01-01T00:00:00Z", key).expect(200);
    assertThat(server.server().exports().peakEntriesHeld()).isEqualTo(ExportScan.PAGE);
  }

  /** Bundle proofs parsed as the verifier parses them. */
  static final class BundleVerifierAccess {
    static org.trailbook.merkle.InclusionProof proof(String line) {
      JsonNode p = Json.MAPPER.readTree(line);
      List<Hash> hashes = new ArrayList<>();
      for (JsonNode h : p.get("hashes")) hashes.add(Hash.fromBase64(h.asString()));
      return new org.trailbook.merkle.InclusionProof(p.get("index").asLong(), p.get("size").asLong(), hashes);
    }
  }
}
