package org.trailbook.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.event.EventBatchParser;
import org.trailbook.event.EventNormalizer;
import org.trailbook.health.PartHealth;
import org.trailbook.ingest.IngestService;
import org.trailbook.journal.FileJournal;
import org.trailbook.journal.JournalUnavailableException;
import org.trailbook.server.ServerConfig;
import org.trailbook.verify.Verdict;
import tools.jackson.databind.node.ObjectNode;

/**
 * A store that cannot be read for a while (the PostgreSQL store restarting) does not stop the tree appender for good:
 * it backs off, writes are refused meanwhile (503), and once the store answers again it catches up and writes resume,
 * without a restart. A fault of its own still stops it (WritePathFailureTest).
 */
class TreeAppenderStoreOutageTest {
  @TempDir Path dir;

  @Test
  void theAppenderBacksOffWhileTheStoreCannotBeReadAndCatchesUpAfter() throws Exception {
    String name = ServerConfig.fromEnvironment(Map.of()).serverName();
    try (FileJournal journal = FileJournal.open(dir.resolve("journal"));
        LogIntegrity integrity = LogIntegrity.open(dir, name, journal, IntegrityConfig.DEFAULTS)) {
      IngestService ingest = new IngestService(integrity.guard(journal), new EventBatchParser(), new EventNormalizer(), Clock.systemUTC());
      ingest.record("acme", event("e0"));
      assertThat(integrity.treeSize("acme")).isEqualTo(1);

      AtomicBoolean down = new AtomicBoolean(true); // every chunk finds the store unreachable until the test says otherwise
      integrity.appender.fault = () -> {
        if (down.get()) throw new JournalUnavailableException("the PostgreSQL store is unavailable (test)", null);
      };
      ingest.record("acme", event("e1")); // acknowledged; the appender meets the outage on its leaf
      PartHealth health = integrity.treeAppenderHealth();
      await(() -> health.state() == PartHealth.State.BACKING_OFF && health.failures() >= 2);
      assertThatThrownBy(() -> ingest.record("acme", event("refused"))).as("writes refused while the trees cannot follow")
          .isInstanceOf(JournalUnavailableException.class);

      down.set(false);
      await(() -> health.state() == PartHealth.State.RUNNING);
      assertThat(integrity.treeSize("acme")).as("caught up with the log").isEqualTo(journal.size("acme"));
      ingest.record("acme", event("e2"));
      assertThat(integrity.treeSize("acme")).isEqualTo(journal.size("acme"));
      assertThat(integrity.scrubAll()).allMatch(Verdict::ok);
    }
  }

  private static List<ObjectNode> event(String id) {
    return List.of(Json.MAPPER.createObjectNode().put("id", id).put("action", "thing.done"));
  }

  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out");
      Thread.sleep(10); // polling a condition with a deadline
    }
  }
}
