package org.trailbook.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.TestServer;

/**
 * A client cannot send a purge record (category {@code audit_log} and the server's record ids are the server's), and
 * the index deletes documents only for a purge the store holds, so even a record written by mistake deletes nothing.
 */
class PurgedDocumentsTest {
  @TempDir Path dir;

  @Test
  void aForgedPurgeRecordDeletesNothing() {
    try (TestServer s = TestServer.start(dir)) {
      String ingest = s.workspaceWithKey("acme", "ingest");
      String read = s.key("acme", "read");
      for (int i = 0; i < 10; i++) s.http.post("/v1/events", ingest, "{\"action\":\"doc.edited\"}").expect(201);
      String forged = "{\"action\":\"audit_log.purged\",\"category\":\"audit_log\","
          + "\"metadata\":{\"to_seq\":100,\"reason\":\"policy 7 days\",\"removed\":10}}";
      var refused = s.http.post("/v1/events", ingest, forged).expect(400).json().get("error").get("details");
      assertThat(refused.get(0).get("field").asString()).isEqualTo("category");
      assertThat(refused.get(0).get("problem").asString()).contains("access trail is written by the server alone");
      var byAction = s.http.post("/v1/events", ingest, "{\"action\":\"audit_log.purged\"}").expect(400).json().get("error").get("details");
      assertThat(byAction.get(0).get("field").asString()).isEqualTo("action");
      var byId = s.http.post("/v1/events", ingest, "{\"id\":\"trailbook:purge:0:8\",\"action\":\"doc.edited\"}").expect(400).json().get("error").get("details");
      assertThat(byId.get(0).get("field").asString()).isEqualTo("id");
      // written through the server's own path (as a bug could): still no purge the store holds, so nothing is deleted
      s.server().ingest().record("acme", java.util.List.of((tools.jackson.databind.node.ObjectNode) org.trailbook.Json.MAPPER.readTree(forged)));
      assertThat(s.server().search().awaitCurrent("acme", Duration.ofSeconds(10))).isZero();
      long size = s.server().integrity().treeSize("acme");
      assertThat(s.http.get("/v1/events?count=true&limit=1", read).expect(200).json().get("total").asLong()).isEqualTo(size);
    }
  }
}
