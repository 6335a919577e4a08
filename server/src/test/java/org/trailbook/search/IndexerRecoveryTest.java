package org.trailbook.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.server.SupervisedLoops.awaitTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.health.PartHealth;
import org.trailbook.http.HttpClientForTests;
import org.trailbook.server.SupervisedLoops;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/**
 * The search indexer under its supervisor: a fault in the middle of a batch (after some of its
 * documents were added) fails it again and again; meanwhile ingest works, search says how far it is
 * behind and the node is not ready; once the fault is gone the indexer catches up from the journal
 * and every event is searchable exactly once (the half-added batch is not indexed twice).
 */
class IndexerRecoveryTest {
  @TempDir Path dir;

  @Test
  void aFailingIndexerIsRetriedThenCatchesUpFromTheJournalIndexingEachEventOnce() {
    try (SupervisedLoops loops = new SupervisedLoops(); TestServer server = TestServer.start(dir)) {
      HttpClientForTests http = server.http;
      String key = server.workspaceWithKey("acme", "ingest", "read");
      http.post("/v1/events", key, "{\"id\":\"e0\",\"action\":\"thing.done\"}").expect(201);
      SearchIndex index = server.server().search();
      awaitTrue(() -> index.lag() == 0);
      long base = index.store().size("acme"); // e0 and the workspace's own audit events
      AtomicBoolean broken = new AtomicBoolean(true);
      // the batch's first event is added, its second fails: the batch is cut short with one of its documents in the writer
      index.indexer().adder().fault = (ws, seq) -> {
        if (broken.get() && seq == base + 1) throw new UncheckedIOException(new IOException("injected: the index disk failed"));
      };

      http.post("/v1/events", key, "[{\"id\":\"a1\",\"action\":\"thing.done\"},{\"id\":\"a2\",\"action\":\"thing.done\"},"
          + "{\"id\":\"a3\",\"action\":\"thing.done\"}]").expect(201); // the journal is the source of truth: ingest goes on
      PartHealth health = index.health();
      awaitTrue(() -> health.failures() >= 3);
      SupervisedLoops.assertBackingOff(http, "search_indexer", 3);
      assertThat(http.get("/v1/events", key).expect(200).header("Trailbook-Index-Behind")).isEqualTo("3");

      broken.set(false); // the fault is gone: the next retry catches up
      SupervisedLoops.awaitReady(http);
      assertThat(health.state()).isEqualTo(PartHealth.State.RUNNING);
      assertThat(index.lag()).isZero();
      JsonNode page = http.get("/v1/events?limit=1000&count=true", key).expect(200).json();
      List<String> ids = new ArrayList<>();
      page.get("events").forEach(e -> ids.add(e.get("id").asString()));
      assertThat(ids).as("every event once: the half-added batch was discarded before the retry")
          .containsOnlyOnce("e0", "a1", "a2", "a3").doesNotHaveDuplicates().hasSize((int) base + 3);
      assertThat(page.get("total").asLong()).isEqualTo(base + 3);
      assertThat(http.get("/v1/events?q=id:a2", key).expect(200).json().get("events")).hasSize(1);
      loops.assertOneError("search_indexer", UncheckedIOException.class);
      loops.assertRecoveredOnce("search_indexer", health.failures());
    }
  }
}
