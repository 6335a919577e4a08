package org.trailbook.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.archive.ArchiveTestSupport.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/**
 * Restore through the API of a real server: an archive on the target is verified and brought back as a read-only
 * view whose entries are found, marked as restored, and are byte for byte the archived ones; a damaged archive is
 * refused and leaves no view; the live log does not change; only admins restore and only the workspace's readers read.
 */
class RestoreTest {
  @TempDir static Path dir;
  static TestServer server;
  static String ingestKey;
  static String adminKey;
  static Path target;

  @BeforeAll
  static void start() {
    target = dir.resolve("archives");
    ServerConfig config = ServerConfig.fromEnvironment(Map.of("TRAILBOOK_ARCHIVE_TARGET", target.toString())).withDataDir(dir.resolve("data"));
    server = TestServer.start(config);
    ingestKey = server.workspaceWithKey("acme", "ingest", "read");
    adminKey = server.key("acme", "admin");
    ingest(server, ingestKey, "r", 40);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aVerifiedArchiveComesBackAsAMarkedReadOnlyView() {
    ArchiveRef ref = server.server().archiver().orElseThrow().archive("acme", 10, 30);
    String name = ArchiveFormat.fileName(10, 30);
    long liveSize = server.server().integrity().treeSize("acme"); // archive() signed a checkpoint, nothing more
    JsonNode listed = server.http.get("/v1/workspaces/acme/archives", adminKey).expect(200).json();
    assertThat(listed.get("target").asString()).startsWith("file:");
    assertThat(listed.get("archives").toString()).contains("\"name\":\"" + name + "\"", "\"restored\":false");

    JsonNode view = server.http.post("/v1/workspaces/acme/archives/" + name + "/restore", adminKey, "{}").expect(200).json();
    assertThat(view.get("from_seq").asLong()).isEqualTo(10);
    assertThat(view.get("to_seq").asLong()).isEqualTo(30);
    assertThat(view.get("count").asLong()).isEqualTo(20);
    assertThat(view.get("location").asString()).isEqualTo(ref.location());
    assertThat(server.http.get("/v1/workspaces/acme/archives", adminKey).expect(200).json().get("archives").toString()).contains("\"restored\":true");

    var pageResponse = server.http.get("/v1/workspaces/acme/restored/events?limit=7", ingestKey).expect(200);
    JsonNode page = pageResponse.json();
    assertThat(page.get("entries")).hasSize(7);
    JsonNode first = page.get("entries").get(0);
    assertThat(first.get("seq").asLong()).isEqualTo(10);
    assertThat(first.get("restored").asBoolean()).isTrue();
    assertThat(first.get("archive").asString()).isEqualTo(name);
    String live = server.http.get("/v1/log/entries?start=10&end=17", ingestKey).expect(200).body();
    for (String line : live.strip().split("\n")) assertThat(pageResponse.body()).as("byte for byte as archived").contains("\"entry\":" + line + "}");
    assertThat(page.get("next_after_seq").asLong()).isEqualTo(16);
    JsonNode rest = server.http.get("/v1/workspaces/acme/restored/events?after_seq=16&limit=100", ingestKey).expect(200).json();
    assertThat(rest.get("entries")).hasSize(13);
    assertThat(rest.get("next_after_seq").isNull()).isTrue();
    JsonNode one = server.http.get("/v1/workspaces/acme/restored/events?q=R17%22", ingestKey).expect(200).json();
    assertThat(one.get("entries")).singleElement().satisfies(e -> assertThat(e.get("entry").get("id").asString()).isEqualTo("r17"));

    // the live log only gains the access-trail record of the restore: the restored entries never enter it
    long afterRestore = server.server().integrity().treeSize("acme");
    assertThat(afterRestore).isEqualTo(liveSize + 1);
    String record = server.http.get("/v1/log/entries?start=" + liveSize + "&end=" + afterRestore, ingestKey).expect(200).body();
    assertThat(record).contains("\"action\":\"audit_log.archive_restored\"", "\"category\":\"audit_log\"", "\"archive\":\"" + name + "\"");
    server.http.delete("/v1/workspaces/acme/archives/" + name + "/restore", adminKey).expect(204);
    assertThat(server.http.get("/v1/workspaces/acme/restored/events", ingestKey).expect(200).json().get("entries")).isEmpty();
    server.http.delete("/v1/workspaces/acme/archives/" + name + "/restore", adminKey).expect(404);
  }

  @Test
  void aDamagedArchiveIsRefusedAndLeavesNoView() throws IOException {
    server.server().archiver().orElseThrow().archive("acme", 0, 5);
    String name = ArchiveFormat.fileName(0, 5);
    Path file = target.resolve("acme").resolve(name);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x04;
    Files.write(file, bytes);
    var r = server.http.post("/v1/workspaces/acme/archives/" + name + "/restore", adminKey, "{}").expect(409);
    assertThat(r.body()).contains("does not verify, nothing was restored");
    assertThat(server.http.get("/v1/workspaces/acme/archives", adminKey).expect(200).json().get("restored").toString()).doesNotContain(name);
    try (var files = Files.list(dir.resolve("data").resolve("restored").resolve("acme"))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(name.substring(0, 41)));
    }
  }

  @Test
  void onlyAdminsRestoreAndUnknownArchivesAre404() {
    String name = ArchiveFormat.fileName(100, 200);
    server.http.post("/v1/workspaces/acme/archives/" + name + "/restore", ingestKey, "{}").expect(403);
    server.http.post("/v1/workspaces/acme/archives/" + name + "/restore", adminKey, "{}").expect(404);
    server.http.post("/v1/workspaces/acme/archives/..%2Fx/restore", adminKey, "{}").expect(400);
    server.http.get("/v1/workspaces/acme/archives", ingestKey).expect(403);
    server.http.get("/v1/workspaces/other/restored/events", ingestKey).expect(404);
  }
}
