package org.trailbook.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.archive.ArchiveTestSupport.ingest;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.postgres.StoreUrl;
import org.trailbook.postgres.TestPostgres;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/**
 * Two nodes on one PostgreSQL store (each with its own data directory) and one archive target share restored views: a
 * view restored through node A is listed and searched through node B, dropped through B, and gone on A.
 */
class RestoredViewsNodesTest {
  @TempDir Path dir;

  @Test
  void aViewRestoredThroughOneNodeIsListedSearchedAndDroppedThroughAnother() {
    String url = TestPostgres.newDatabase();
    try (TestServer a = TestServer.start(config(url, "a")); TestServer b = TestServer.start(config(url, "b"))) {
      String reader = a.workspaceWithKey("acme", "ingest", "read");
      String admin = a.key("acme", "admin");
      ingest(a, reader, "n", 30);
      a.server().archiver().orElseThrow().archive("acme", 5, 25);
      String name = ArchiveFormat.fileName(5, 25);

      JsonNode view = a.http.post("/v1/workspaces/acme/archives/" + name + "/restore", admin, "{}").expect(200).json();
      assertThat(view.get("count").asLong()).isEqualTo(20);

      JsonNode listed = b.http.get("/v1/workspaces/acme/archives", admin).expect(200).json();
      assertThat(listed.get("archives").toString()).contains("\"name\":\"" + name + "\"", "\"restored\":true");
      assertThat(listed.get("restored")).singleElement().satisfies(v -> {
        assertThat(v.get("archive").asString()).isEqualTo(name);
        assertThat(v.get("restored_at").asString()).isEqualTo(view.get("restored_at").asString());
      });
      var found = b.http.get("/v1/workspaces/acme/restored/events?limit=1000", reader).expect(200);
      assertThat(found.json().get("entries")).hasSize(20);
      assertThat(found.json().get("entries").get(0).get("seq").asLong()).isEqualTo(5);
      assertThat(found.json().get("entries").get(0).get("restored").asBoolean()).isTrue();
      String live = a.http.get("/v1/log/entries?start=5&end=25", reader).expect(200).body();
      for (String line : live.strip().split("\n")) assertThat(found.body()).as("byte for byte as archived").contains("\"entry\":" + line + "}");
      JsonNode one = b.http.get("/v1/workspaces/acme/restored/events?q=N17%22", reader).expect(200).json();
      assertThat(one.get("entries")).singleElement().satisfies(e -> assertThat(e.get("entry").get("id").asString()).isEqualTo("n17"));

      b.http.delete("/v1/workspaces/acme/archives/" + name + "/restore", admin).expect(204);
      assertThat(a.http.get("/v1/workspaces/acme/archives", admin).expect(200).json().get("restored")).isEmpty();
      assertThat(a.http.get("/v1/workspaces/acme/restored/events", reader).expect(200).json().get("entries")).isEmpty();
      a.http.delete("/v1/workspaces/acme/archives/" + name + "/restore", admin).expect(404);
    }
  }

  private ServerConfig config(String url, String node) {
    return ServerConfig.fromEnvironment(Map.of("TRAILBOOK_ARCHIVE_TARGET", dir.resolve("archives").toString()))
        .withDataDir(dir.resolve(node)).withStore(Optional.of(StoreUrl.parse(url)));
  }
}
