package org.trailbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.trailbook.export.ExportFiles;
import org.trailbook.export.ExportFilesContract;
import org.trailbook.export.ExportJob;
import org.trailbook.export.ExportJobStore;
import org.trailbook.export.ExportJobStoreContract;

/** The export contracts against PostgreSQL: every instance is another node on one database; plus leases. */
class PostgresExportStoresTest {
  private final PgNodes nodes = new PgNodes();

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  @Nested
  class Jobs extends ExportJobStoreContract {
    @Override
    protected ExportJobStore openStore() {
      return new PostgresExportJobStore(nodes.node(), PER_HOUR);
    }

    @Override
    protected ExportJobStore peer(ExportJobStore s) {
      return openStore();
    }

    @Override
    protected Duration runnerGoneAfter() {
      return PostgresExportJobStore.LEASE;
    }

    @Test
    void aRenewedClaimHoldsAndOnlyALapsedOneIsTakenOverAndTheLoserCannotSaveItsEnd() throws Exception {
      ExportJobStore a = openStore();
      ExportJobStore b = openStore();
      ExportJob j = queued("acme", T0);
      a.save(j);
      ExportJob runA = a.claim(T0, Duration.ofSeconds(1)).orElseThrow();
      long lease = PostgresExportJobStore.LEASE.toMillis();
      assertThat(b.claim(T0 + lease - 1, Duration.ZERO)).isEmpty(); // still a's
      assertThat(a.renew(runA, T0 + lease - 1)).isTrue();
      assertThat(b.claim(T0 + lease + 1, Duration.ZERO)).isEmpty(); // renewed
      assertThat(b.renew(runA, T0 + 10 * lease)).isFalse(); // not b's claim: changes nothing
      ExportJob runB = b.claim(T0 + 2 * lease, Duration.ZERO).orElseThrow(); // a's claim lapsed: b takes over
      assertThat(runB.id()).isEqualTo(j.id());
      assertThat(a.renew(runA, T0 + 2 * lease + 1)).isFalse(); // a learns it lost the job
      a.save(runA.with(ExportJob.Status.DONE, runA.startedAt(), T0 + 2 * lease + 2, 1, 1, null)); // too late: not saved
      assertThat(b.find("acme", j.id())).contains(runB);
      ExportJob doneB = runB.with(ExportJob.Status.DONE, runB.startedAt(), T0 + 2 * lease + 3, 2, 2, null);
      b.save(doneB);
      assertThat(a.find("acme", j.id())).contains(doneB);
      assertThat(a.claim(T0 + 100 * lease, Duration.ZERO)).isEmpty(); // done: never claimed again
    }
  }

  @Nested
  class Files extends ExportFilesContract {
    @Override
    protected ExportFiles openFiles() {
      return new PostgresExportFiles(nodes.node(), 64 * 1024);
    }

    @Override
    protected int largeSize() {
      return 64 * 1024 * 3 + 17; // four chunks, the last one partial
    }

    @Test
    void twoRunsOfOneJobNeverMixTheirChunks() throws Exception {
      ExportFiles f = openFiles();
      ExportJob job = ExportJobStoreContract.queued("acme", 1);
      ExportJob lost = job.running(100);
      ExportJob tookOver = job.running(200);
      byte[] mine = new byte[largeSize()];
      java.util.Arrays.fill(mine, (byte) 'b');
      // the run that lost its claim is still writing while the run that took over writes all of its output
      f.write(lost, out -> {
        out.write(new byte[70_000]);
        f.write(tookOver, o -> o.write(mine));
        out.write(new byte[70_000]);
      });
      try (ExportFiles.Output o = openFiles().open(tookOver).orElseThrow()) {
        assertThat(o.stream().readAllBytes()).isEqualTo(mine);
      }
      f.delete(job);
      assertThat(f.open(lost)).isEmpty();
      assertThat(f.open(tookOver)).isEmpty();
    }
  }
}
