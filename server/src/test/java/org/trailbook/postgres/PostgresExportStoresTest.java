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
    void aRenewedClaimHoldsAndOnlyALapsedOneIsTakenOver() throws Exception {
      ExportJobStore a = openStore();
      ExportJobStore b = openStore();
      ExportJob j = queued("acme", T0);
      a.save(j);
      ExportJob running = a.claim(T0, Duration.ofSeconds(1)).orElseThrow();
      long lease = PostgresExportJobStore.LEASE.toMillis();
      assertThat(b.claim(T0 + lease - 1, Duration.ZERO)).isEmpty(); // still a's
      a.renew(running, T0 + lease - 1);
      assertThat(b.claim(T0 + lease + 1, Duration.ZERO)).isEmpty(); // renewed
      b.renew(running, T0 + 10 * lease); // not b's claim: changes nothing
      assertThat(b.claim(T0 + 2 * lease, Duration.ZERO)).map(ExportJob::id).contains(j.id());
      a.save(running.with(ExportJob.Status.DONE, T0, T0 + 1, 1, 1, null)); // a finished, only now saving
      assertThat(b.claim(T0 + 100 * lease, Duration.ZERO)).isEmpty(); // done: never claimed again
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
  }
}
