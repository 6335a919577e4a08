package org.trailbook.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.event.EventBatchParser;
import org.trailbook.event.EventNormalizer;
import org.trailbook.health.PartHealth;
import org.trailbook.ingest.IngestService;
import org.trailbook.integrity.IntegrityConfig;
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.integrity.SingleNodeLease;
import org.trailbook.journal.FileJournal;
import org.trailbook.server.ServerConfig;
import tools.jackson.databind.node.ObjectNode;

/** The daily run: at the purge hour of the (injected) clock, on the node holding the purger lease only. */
class PurgeScheduleTest {
  @TempDir Path dir;

  @Test
  void theNextRunIsTheNextPurgeHourUtc() {
    assertThat(PurgeSchedule.nextRun(Instant.parse("2026-05-01T02:59:59Z"), 3)).isEqualTo(Instant.parse("2026-05-01T03:00:00Z"));
    assertThat(PurgeSchedule.nextRun(Instant.parse("2026-05-01T03:00:00Z"), 3)).isEqualTo(Instant.parse("2026-05-02T03:00:00Z"));
    assertThat(PurgeSchedule.nextRun(Instant.parse("2026-05-01T23:10:00Z"), 0)).isEqualTo(Instant.parse("2026-05-02T00:00:00Z"));
  }

  @Test
  void aPassRunsOverEveryWorkspaceOnceTheClockReachesThePurgeHourAndOnlyWhileTheLeaseIsHeld() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-01-01T12:00:00Z"));
    try (FileJournal journal = FileJournal.open(dir.resolve("journal"));
        LogIntegrity integrity = LogIntegrity.open(dir, ServerConfig.fromEnvironment(Map.of()).serverName(), journal, IntegrityConfig.DEFAULTS)) {
      IngestService ingest = new IngestService(integrity.guard(journal), new EventBatchParser(), new EventNormalizer(), clock);
      for (String ws : List.of("a", "b")) {
        List<ObjectNode> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) batch.add(Json.MAPPER.createObjectNode().put("action", "thing.done"));
        ingest.record(ws, batch);
      }
      integrity.signDue();
      clock.set(Instant.parse("2026-03-01T02:59:00Z")); // the entries are two months old
      Purger purger = new Purger(journal, ingest, (ws, now) -> new Purger.Rules(30, false, 365, false), integrity::latestCheckpointSize,
          Purger.ArchiveStep.NONE, clock);

      SingleNodeLease lost = new SingleNodeLease();
      lost.close(); // another node purges
      try (PurgeSchedule other = new PurgeSchedule(purger, journal, lost, 3, clock, Duration.ofMillis(10))) {
        clock.set(Instant.parse("2026-03-01T03:00:30Z"));
        await(() -> other.nextRun().equals(Instant.parse("2026-03-02T03:00:00Z")));
        assertThat(journal.purgedBefore("a")).as("no lease, no purge").isZero();
      }

      clock.set(Instant.parse("2026-03-01T02:59:00Z"));
      try (PurgeSchedule schedule = new PurgeSchedule(purger, journal, new SingleNodeLease(), 3, clock, Duration.ofMillis(10))) {
        assertThat(schedule.health().part()).isEqualTo("purger");
        assertThat(schedule.nextRun()).isEqualTo(Instant.parse("2026-03-01T03:00:00Z"));
        clock.set(Instant.parse("2026-03-01T03:00:30Z"));
        await(() -> journal.purgedBefore("a") == 20 && journal.purgedBefore("b") == 20);
        await(() -> schedule.nextRun().equals(Instant.parse("2026-03-02T03:00:00Z")));
        assertThat(schedule.health().state()).isEqualTo(PartHealth.State.RUNNING);
      }
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(5);
    }
  }
}
