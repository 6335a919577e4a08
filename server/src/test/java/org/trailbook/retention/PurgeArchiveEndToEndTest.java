package org.trailbook.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.archive.ArchiveConfig;
import org.trailbook.cli.Main;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/**
 * With archiving on, a purge first archives its range to the archive target (a directory here), and only then the
 * access trail may age out past its own days: the record names the archive, the archive verifies offline with the
 * log's key, and the purged data directory still verifies.
 */
class PurgeArchiveEndToEndTest {
  static final String WS = "acme";

  @TempDir Path dir;
  @TempDir Path archives;

  @Test
  void anArchivedRangeIsPurgedWithItsAccessTrailOnceOlderThanTheTrailsDays() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    ServerConfig config = ServerConfig.fromEnvironment(Map.of()).withDataDir(dir)
        .withArchive(ArchiveConfig.fromEnvironment(Map.of("TRAILBOOK_ARCHIVE_TARGET", archives.toString())));
    try (TestServer s = TestServer.start(config, clock)) {
      String ingestKey = s.workspaceWithKey(WS, "ingest");
      String readKey = s.key(WS, "read");
      String adminKey = s.key(WS, "admin");
      PurgeEndToEndTest.put(s, "/v1/workspaces/" + WS + "/retention", adminKey, "{\"days\":30,\"archive\":true}");
      for (int day = 0; day < 20; day++) {
        s.http.post("/v1/events", ingestKey, "[{\"action\":\"doc.edited\"},{\"action\":\"doc.viewed\"}]").expect(201);
        clock.advance(Duration.ofDays(1));
      }
      clock.advance(Duration.ofDays(400)); // everything is past 30 days, the access trail past its 365
      s.http.post("/v1/events", ingestKey, "{\"action\":\"doc.edited\"}").expect(201);
      s.server().integrity().signDue();
      long size = s.server().integrity().treeSize(WS);

      JsonNode purged = s.http.post("/v1/workspaces/" + WS + "/retention/run", adminKey, "{}").expect(200).json().get("purged");
      assertThat(purged.isNull()).isFalse();
      assertThat(purged.get("to_seq").asLong()).isEqualTo(size - 1);
      assertThat(purged.get("kept").asLong()).as("the access trail is archived and past its days").isZero();
      long recordSeq = purged.get("record_seq").asLong();
      JsonNode record = Json.MAPPER.readTree(s.http.get("/v1/log/entries?start=" + recordSeq + "&end=" + (recordSeq + 1), readKey).expect(200).body());
      String archive = record.get("metadata").get("archive").asString();
      assertThat(archive).contains("sha256 ");

      List<Path> files;
      try (Stream<Path> all = Files.walk(archives)) {
        files = all.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".tbarchive.zst")).toList();
      }
      assertThat(files).hasSize(1);
      assertThat(archive).contains(files.getFirst().getFileName().toString());
      StringWriter out = new StringWriter();
      int code = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "archive", "verify", files.getFirst().toString(),
          "--key", dir.resolve("keys/log.pub").toString());
      assertThat(code).as(out.toString()).isZero();
    }
    StringWriter out = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "verify", "--data", dir.toString());
    assertThat(code).as(out.toString()).isZero();
    assertThat(out.toString()).contains("archived as");
  }
}
