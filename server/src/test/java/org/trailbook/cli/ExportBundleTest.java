package org.trailbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.export.ExportConfig;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/**
 * Export jobs end to end: {@code POST /v1/exports}, status until done, the file, and {@code trailbook verify --bundle}
 * on it — filtered (inclusion proofs), unfiltered (a range), CSV beside the bundle, tampered, redacted — plus the job
 * limits.
 */
class ExportBundleTest {
  @TempDir static Path dir;
  @TempDir Path work;
  static TestServer server;
  static String key;
  static Path keyFile;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start(ServerConfig.fromEnvironment(Map.of()).withDataDir(dir.resolve("data"))
        .withExports(ExportConfig.DEFAULTS.withMaxEntries(500).withJobsPerHour(6)));
    key = server.workspaceWithKey("acme", "ingest", "read", "export");
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < 300; i++) {
      b.append(i > 0 ? "," : "").append("{\"id\":\"e").append(i).append("\",\"type\":\"").append(i % 3 == 0 ? "auth" : "user_action")
          .append("\",\"action\":\"thing.done\",\"actor\":{\"type\":\"user\",\"id\":\"u1\",\"email\":\"riley@example.com\"}}");
    }
    server.http.post("/v1/events", key, b.append("]").toString()).expect(201);
    keyFile = dir.resolve("log.pub");
    Files.writeString(keyFile, server.http.get("/v1/log/key", key).expect(200).body());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode awaitDone(String k, String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      JsonNode s = server.http.get("/v1/exports/" + id, k).expect(200).json();
      String status = s.get("status").asString();
      assertThat(status).as("job %s", s).isNotEqualTo("failed");
      if (status.equals("done")) return s;
      assertThat(System.nanoTime()).as("job %s done within 60 s", id).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private Path runJob(String k, String body) throws IOException {
    JsonNode created = server.http.post("/v1/exports", k, body).expect(202).json();
    assertThat(created.get("status").asString()).isIn("queued", "running", "done");
    JsonNode done = awaitDone(k, created.get("id").asString());
    var file = server.http.get(done.get("download_url").asString(), k).expect(200);
    Path p = work.resolve(created.get("id").asString() + ".bin");
    Files.write(p, file.raw().body());
    assertThat(Files.size(p)).isEqualTo(done.get("bytes").asLong());
    return p;
  }

  @Test
  void aFilteredNdjsonJobIsABundleThatVerifies() throws IOException {
    Path bundle = runJob(key, "{\"format\":\"ndjson\",\"filters\":{\"type\":\"auth\"}}");
    Map<String, byte[]> members = read(bundle);
    assertThat(members).containsKeys("manifest.json", "checkpoint", "entries.ndjson", "proofs.ndjson");
    JsonNode manifest = Json.MAPPER.readTree(members.get("manifest.json"));
    assertThat(manifest.get("selection").asString()).isEqualTo("list");
    assertThat(manifest.get("count").asLong()).isEqualTo(100);
    VerifyDataTest.Run r = VerifyDataTest.verify("--bundle", bundle.toString(), "--key", keyFile.toString());
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("100 entries verified");

    // one changed byte in one entry: named, exit 1
    String entries = new String(members.get("entries.ndjson"), StandardCharsets.UTF_8);
    members.put("entries.ndjson", entries.replaceFirst("riley@example.com", "riley@example.org").getBytes(StandardCharsets.UTF_8));
    Path tampered = write(members);
    VerifyDataTest.Run bad = VerifyDataTest.verify("--bundle", tampered.toString(), "--key", keyFile.toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("FAILED at seq");
  }

  @Test
  void anUnfilteredJobCarriesTheRangeAndCsvGoesBesideIt() throws IOException {
    String k = server.workspaceWithKey("ranged", "ingest", "read", "export");
    server.http.post("/v1/events", k, "[{\"action\":\"a.b\",\"summary\":\"=cmd\"},{\"action\":\"a.c\"}]").expect(201);
    Path bundle = runJob(k, "{\"format\":\"csv\",\"include_proof\":true,\"columns\":[\"seq\",\"action\",\"summary\"]}");
    Map<String, byte[]> members = read(bundle);
    JsonNode manifest = Json.MAPPER.readTree(members.get("manifest.json"));
    assertThat(manifest.get("selection").asString()).isEqualTo("range");
    assertThat(manifest.get("first_seq").asLong()).isZero();
    String csv = new String(members.get("export.csv"), StandardCharsets.UTF_8);
    assertThat(csv).startsWith("\"seq\",\"action\",\"summary\"\r\n").contains("\"'=cmd\"");
    assertThat(csv.split("\r\n")).hasSize(1 + manifest.get("count").asInt());
    VerifyDataTest.Run r = VerifyDataTest.verify("--bundle", bundle.toString(), "--key", keyFile.toString());
    assertThat(r.code()).as(r.all()).isZero();
  }

  @Test
  void aRedactedBundleSaysSoInsteadOfClaimingTampering() throws IOException {
    Path bundle = runJob(key, "{\"format\":\"ndjson\",\"filters\":{\"type\":[\"auth\"],\"q\":\"id:e3\"},\"redaction\":\"external\"}");
    Map<String, byte[]> members = read(bundle);
    assertThat(Json.MAPPER.readTree(members.get("manifest.json")).get("redacted").asBoolean()).isTrue();
    assertThat(new String(members.get("entries.ndjson"), StandardCharsets.UTF_8)).contains("r***@example.com").doesNotContain("riley@");
    VerifyDataTest.Run r = VerifyDataTest.verify("--bundle", bundle.toString(), "--key", keyFile.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.all()).contains("redacted export").doesNotContain("FAILED");
  }

  @Test
  void aJobWithoutProofIsThePlainFormatAndIsRecorded() throws IOException {
    String k = server.workspaceWithKey("plain", "ingest", "read", "export");
    server.http.post("/v1/events", k, "[{\"action\":\"a.b\"},{\"action\":\"a.c\"},{\"action\":\"x.y\"}]").expect(201);
    Path file = runJob(k, "{\"format\":\"json\",\"pretty\":true,\"filters\":{\"action\":[\"a.*\"]}}");
    JsonNode arr = Json.MAPPER.readTree(Files.readAllBytes(file));
    assertThat(arr.size()).isEqualTo(2);
    JsonNode audit = server.http.get("/v1/events?action=audit_log.exported", k).expect(200).json().get("events");
    assertThat(audit.size()).isEqualTo(1);
    assertThat(audit.get(0).at("/metadata/delivery").asString()).isEqualTo("job");
    assertThat(audit.get(0).at("/metadata/count").asLong()).isEqualTo(2);
    assertThat(audit.get(0).at("/resource/id").asString()).startsWith("exp_");
    JsonNode list = server.http.get("/v1/exports", k).expect(200).json().get("exports");
    assertThat(list.size()).isEqualTo(1);
    // other workspaces cannot see it
    server.http.get("/v1/exports/" + list.get(0).get("id").asString(), key).expect(404);
  }

  @Test
  void jobLimitsAreEnforced() {
    String k = server.workspaceWithKey("limited", "ingest", "read", "export");
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < 501; i++) b.append(i > 0 ? "," : "").append("{\"action\":\"a.b\"}");
    server.http.post("/v1/events", k, b.append("]").toString()).expect(201);
    JsonNode tooBig = server.http.post("/v1/exports", k, "{\"format\":\"ndjson\"}").expect(400).json();
    assertThat(tooBig.at("/error/code").asString()).isEqualTo("export_too_large");
    server.http.post("/v1/exports", k, "{\"format\":\"ndjson\",\"bogus\":1}").expect(400);
    server.http.post("/v1/exports", k, "{\"format\":\"ndjson\",\"filters\":{\"status\":\"nope\"}}").expect(400);
    String small = "{\"format\":\"csv\",\"filters\":{\"range\":\"1h\",\"action\":\"none.such\"}}";
    for (int i = 0; i < 6; i++) server.http.post("/v1/exports", k, small).expect(202);
    var limited = server.http.post("/v1/exports", k, small).expect(429);
    assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 3600);
    assertThat(limited.json().at("/error/code").asString()).isEqualTo("too_many_exports");
  }

  static Map<String, byte[]> read(Path zipFile) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(zipFile.toFile())) {
      for (Enumeration<? extends ZipEntry> en = z.entries(); en.hasMoreElements(); ) {
        ZipEntry e = en.nextElement();
        out.put(e.getName(), z.getInputStream(e).readAllBytes());
      }
    }
    return out;
  }

  private Path write(Map<String, byte[]> members) throws IOException {
    Path p = Files.createTempFile(work, "bundle-", ".zip");
    try (OutputStream os = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(os)) {
      for (Map.Entry<String, byte[]> m : members.entrySet()) {
        z.putNextEntry(new ZipEntry(m.getKey()));
        z.write(m.getValue());
        z.closeEntry();
      }
    }
    return p;
  }
}
