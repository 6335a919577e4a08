package org.trailbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trailbook.checkpoint.CheckpointException;
import org.trailbook.checkpoint.Checkpoints;
import org.trailbook.checkpoint.CheckpointsContract;

/** The contract on the PostgreSQL store, and two nodes racing to append to one workspace. */
class PostgresCheckpointsTest extends CheckpointsContract {
  private String url;
  private final List<PostgresDatabase> databases = new ArrayList<>();

  @BeforeEach
  void database() {
    url = TestPostgres.newDatabase();
  }

  @AfterEach
  void closeDatabases() {
    databases.forEach(PostgresDatabase::close);
  }

  /** Each call is another node: its own pool on the same database. */
  @Override
  protected Checkpoints openCheckpoints() {
    PostgresDatabase db = PostgresDatabase.open(StoreUrl.parse(url), new PostgresDatabase.Options(4, Duration.ofSeconds(5), Duration.ofSeconds(10)));
    databases.add(db);
    return PostgresCheckpoints.open(db);
  }

  @Test
  void nodesRacingToAppendTakeTurnsAndNeverReplaceACheckpoint() throws Exception {
    Checkpoints a = openCheckpoints();
    Checkpoints b = openCheckpoints();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (long size = 1; size <= 20; size++) {
        long n = size;
        // the same size from both: as two signers would sign the same tree; the notes differ so a replacement would show
        CyclicBarrier start = new CyclicBarrier(2);
        Future<Boolean> fromA = pool.submit(() -> appended(start, a, n, note("acme", n) + "a"));
        Future<Boolean> fromB = pool.submit(() -> appended(start, b, n, note("acme", n) + "b"));
        boolean aWon = fromA.get(10, TimeUnit.SECONDS);
        boolean bWon = fromB.get(10, TimeUnit.SECONDS);
        assertThat(aWon ^ bWon).as("exactly one append of size " + n + " is stored").isTrue();
        String winner = note("acme", n) + (aWon ? "a" : "b");
        assertThat(a.atSize("acme", n)).contains(winner);
        assertThat(b.latest("acme")).contains(winner);
      }
      assertThat(a.sizes("acme")).hasSize(20).isSorted().doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }

  private static boolean appended(CyclicBarrier start, Checkpoints store, long size, String note) throws Exception {
    start.await();
    try {
      store.append("acme", size, note);
      return true;
    } catch (CheckpointException e) {
      assertThat(e).hasMessage("treeSize " + size + " is not greater than the latest checkpoint's " + size);
      return false;
    }
  }
}
