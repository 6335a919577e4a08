package org.trailbook.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.TestServer;

/** The index deletes documents only for a purge the store holds: a client cannot forge a purge record. */
class PurgedDocumentsTest {
  @TempDir Path dir;

  @Test
  void aForgedPurgeRecordDeletesNothing() {
    try (TestServer s = TestServer.start(dir)) {
      String ingest = s.workspaceWithKey("acme", "ingest");
      String read = s.key("acme", "read");
      for (int i = 0; i < 10; i++) s.http.post("/v1/events", ingest, "{\"action\":\"doc.edited\"}").expect(201);
      s.http.post("/v1/events", ingest, "{\"action\":\"audit_log.purged\",\"category\":\"audit_log\","
          + "\"metadata\":{\"to_seq\":100,\"reason\":\"policy 7 days\",\"removed\":10}}").expect(201);
      assertThat(s.server().search().awaitCurrent("acme", Duration.ofSeconds(10))).isZero();
      long size = s.server().integrity().treeSize("acme");
      assertThat(s.http.get("/v1/events?count=true&limit=1", read).expect(200).json().get("total").asLong()).isEqualTo(size);
    }
  }
}
