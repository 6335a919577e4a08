package org.trailbook.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.event.EventBatchParser;
import org.trailbook.event.EventNormalizer;
import org.trailbook.health.Liveness;
import org.trailbook.journal.FileJournal;
import org.trailbook.journal.JournalUnavailableException;

/**
 * A journal writer that is stuck rather than dead (a hung disk: here a commit step that blocks)
 * cannot hold a request for ever: the wait for the group commit has a deadline, and the writer's
 * missing progress shows as a stall to the probes.
 */
class IngestDeadlineTest {
  @TempDir Path dir;

  @Test
  void aWriteWaitingOnAStuckWriterAnswersAtItsDeadlineAndTheStallIsReported() {
    CountDownLatch disk = new CountDownLatch(1);
    try (FileJournal journal = FileJournal.open(dir)) {
      journal.observe((entries, bytes, fsyncNanos) -> {
        try {
          disk.await(); // the writer hangs after a first group, as on a disk that stopped answering
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      IngestService ingest = new IngestService(journal, new EventBatchParser(), new EventNormalizer(), Clock.systemUTC(), Duration.ofMillis(300));
      byte[] first = "{\"id\":\"e0\",\"action\":\"thing.done\"}".getBytes(StandardCharsets.UTF_8);
      assertThat(ingest.ingest("acme", first, EventBatchParser.Format.JSON).getFirst().duplicate()).isFalse(); // answered, then the writer hangs
      byte[] body = "{\"id\":\"e1\",\"action\":\"thing.done\"}".getBytes(StandardCharsets.UTF_8);

      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> ingest.ingest("acme", body, EventBatchParser.Format.JSON))
          .isInstanceOf(JournalUnavailableException.class)
          .hasMessageContaining("did not confirm the write within 300 ms")
          .hasMessageContaining("resend it with the same ids"));

      Liveness probes = new Liveness(List.of(journal.health()), Duration.ofMillis(200));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (probes.problems().isEmpty() && System.nanoTime() < deadline) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      assertThat(probes.problems()).singleElement().satisfies(p -> {
        assertThat(p.part()).isEqualTo("journal_writer");
        assertThat(p.reason()).contains("made no progress");
        assertThat(p.blocksWrites()).isTrue();
      });
      disk.countDown();
      // once the disk answers again, the write that timed out turns out stored: resending the id is safe
      assertThat(ingest.ingest("acme", body, EventBatchParser.Format.JSON).getFirst().duplicate()).isTrue();
    }
  }
}
