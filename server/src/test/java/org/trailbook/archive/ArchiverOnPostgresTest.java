package org.trailbook.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.archive.ArchiveTestSupport.ingest;
import static org.trailbook.archive.ArchiveTestSupport.sha256;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.postgres.StoreUrl;
import org.trailbook.postgres.TestPostgres;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import org.trailbook.verify.ArchiveVerifier;

/** The same archive path on the PostgreSQL store (a real embedded PostgreSQL): archive, verify offline, restore. */
class ArchiverOnPostgresTest {
  @TempDir Path dir;

  @Test
  void aRangeOfALogOnPostgresqlIsArchivedAndRestored() throws IOException {
    ServerConfig config = ServerConfig.fromEnvironment(Map.of("TRAILBOOK_ARCHIVE_TARGET", dir.resolve("archives").toString()))
        .withDataDir(dir.resolve("data")).withStore(Optional.of(StoreUrl.parse(TestPostgres.newDatabase())));
    try (TestServer server = TestServer.start(config)) {
      String key = server.workspaceWithKey("acme", "ingest", "read");
      String admin = server.key("acme", "admin");
      ingest(server, key, "p", 30);
      ArchiveRef ref = server.server().archiver().orElseThrow().archive("acme", 4, 24);
      Path file = Path.of(URI.create(ref.location()));
      assertThat(ref.sha256()).isEqualTo(sha256(file));
      ArchiveVerifier.Result r = ArchiveVerifier.verify(file, NoteVerifier.parse(server.server().integrity().verifierKey()));
      assertThat(r.ok()).as(r.line()).isTrue();
      assertThat(r.entriesChecked()).isEqualTo(20);
      server.http.post("/v1/workspaces/acme/archives/" + file.getFileName() + "/restore", admin, "{}").expect(200);
      assertThat(server.http.get("/v1/workspaces/acme/restored/events?limit=1000", key).expect(200).json().get("entries")).hasSize(20);
    }
  }
}
