package org.trailbook.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.event.EventBatchParser;
import org.trailbook.event.EventNormalizer;
import org.trailbook.ingest.IngestService;
import org.trailbook.journal.FileJournal;
import org.trailbook.server.ServerConfig;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tree appender follows the journal's commit feed on its own thread, so a tree may lag the log
 * by a moment: what asks for a tree size or a proof right after an acknowledgement waits for it.
 */
class TreeAppenderTest {
  @TempDir Path dir;

  private static List<ObjectNode> event(String id) {
    return List.of(Json.MAPPER.createObjectNode().put("id", id).put("action", "thing.done"));
  }

  @Test
  void aTreeSizeOrProofAskedBeforeTheAppenderReachedTheEntryWaitsForIt() throws Exception {
    String name = ServerConfig.fromEnvironment(Map.of()).serverName();
    try (FileJournal journal = FileJournal.open(dir.resolve("journal"));
        LogIntegrity integrity = LogIntegrity.open(dir, name, journal, IntegrityConfig.DEFAULTS)) {
      IngestService ingest = new IngestService(journal, new EventBatchParser(), new EventNormalizer(), Clock.systemUTC());
      ingest.record("acme", event("e0"));
      assertThat(integrity.treeSize("acme")).isEqualTo(1);
      CountDownLatch release = new CountDownLatch(1);
      integrity.appender.fault = () -> {
        try {
          release.await(); // the appender is slow: the entry is acknowledged, its leaf not appended yet
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      };
      ingest.record("acme", event("e1")); // acknowledged: durable in the journal

      AtomicLong size = new AtomicLong(-1);
      AtomicReference<String> checkpoint = new AtomicReference<>();
      Thread asker = Thread.ofPlatform().start(() -> {
        size.set(integrity.treeSize("acme"));
        checkpoint.set(integrity.proofFor("acme", 1).checkpoint());
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (asker.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) LockSupport.parkNanos(1_000_000);
      assertThat(asker.getState()).as("waiting for the tree").isEqualTo(Thread.State.TIMED_WAITING);
      assertThat(size.get()).as("no answer from a tree that lags the log").isEqualTo(-1);

      release.countDown();
      asker.join(10_000);
      assertThat(size.get()).isEqualTo(2);
      assertThat(checkpoint.get()).as("a checkpoint covering the new entry").isEqualTo(integrity.checkpointAt("acme", 2).orElseThrow());
    }
  }

  @Test
  void theTreesTakeTheLogsLastEntriesBeforeTheyCloseAndTheLastCheckpointCoversThem() throws Exception {
    String name = ServerConfig.fromEnvironment(Map.of()).serverName();
    try (FileJournal journal = FileJournal.open(dir.resolve("journal"))) {
      LogIntegrity integrity = LogIntegrity.open(dir, name, journal, IntegrityConfig.DEFAULTS);
      IngestService ingest = new IngestService(journal, new EventBatchParser(), new EventNormalizer(), Clock.systemUTC());
      ingest.record("acme", event("e0"));
      assertThat(integrity.treeSize("acme")).isEqualTo(1);
      CountDownLatch release = new CountDownLatch(1);
      integrity.appender.fault = () -> {
        try {
          release.await(); // the appender lags: held on its next chunk
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      };
      for (int i = 1; i < 50; i++) ingest.record("acme", event("e" + i));
      Thread closer = Thread.ofPlatform().start(integrity::close); // the server closes right after the last acknowledgement
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (closer.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) LockSupport.parkNanos(1_000_000);
      release.countDown();
      closer.join(10_000);
      try (LogIntegrity again = LogIntegrity.open(dir, name, journal, IntegrityConfig.DEFAULTS)) {
        assertThat(again.checkpointAt("acme", 50)).as("the last checkpoint covers every acknowledged entry").isPresent();
      }
    }
  }
}
