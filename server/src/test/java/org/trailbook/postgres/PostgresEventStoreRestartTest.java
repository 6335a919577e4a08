package org.trailbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.journal.EventStoreContract.pending;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.health.PartHealth;
import org.trailbook.journal.AppendResult;
import org.trailbook.journal.Entry;
import org.trailbook.journal.JournalUnavailableException;
import org.trailbook.journal.PendingEntry;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;

/**
 * The database restarts under load: appends during the outage fail with a 503, nothing acknowledged is lost, and the
 * same store takes appends again once the database is back. A dedicated PostgreSQL on a fixed data directory and port,
 * so it can be stopped and started again.
 */
class PostgresEventStoreRestartTest {
  @TempDir Path dataDir;

  @Test
  void survivesADatabaseRestartUnderLoad() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
        .setServerConfig("fsync", "on");
    EmbeddedPostgres pg = builder.start();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", null);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE restart");
    }
    StoreUrl url = StoreUrl.parse("postgresql://postgres@localhost:" + port + "/restart");
    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    AtomicInteger unavailable = new AtomicInteger();
    List<Throwable> unexpected = new ArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    try (PostgresDatabase db = PostgresDatabase.open(url, new PostgresDatabase.Options(6, Duration.ofSeconds(1), Duration.ofSeconds(5)));
        PostgresEventStore store = PostgresEventStore.open(db)) {
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int thread = t;
        writers.add(Thread.ofPlatform().start(() -> {
          for (int n = 0; running.get(); n++) {
            List<PendingEntry> batch = new ArrayList<>();
            for (int i = 0; i < 3; i++) batch.add(pending("ws", "t" + thread + "-" + n + "-" + i, "load"));
            try {
              for (AppendResult r : store.append("ws", batch).join()) acknowledged.put(r.id(), r.seq());
            } catch (CompletionException e) {
              if (e.getCause() instanceof JournalUnavailableException) unavailable.incrementAndGet();
              else synchronized (unexpected) { unexpected.add(e); }
            }
          }
        }));
      }
      await("appends before the restart", () -> acknowledged.size() >= 60);
      pg.close(); // stops the server, keeps its data directory
      await("appends failing with 503 during the outage", () -> unavailable.get() >= 3);
      await("the writer backing off", () -> store.health().state() == PartHealth.State.BACKING_OFF);
      int ackedBeforeRestart = acknowledged.size();
      pg = builder.start();
      await("appends succeeding again, without reopening the store", () -> acknowledged.size() >= ackedBeforeRestart + 60);
      running.set(false);
      for (Thread w : writers) w.join(30_000);
      assertThat(unexpected).isEmpty();
      assertThat(store.health().state()).isEqualTo(PartHealth.State.RUNNING);

      // nothing acknowledged is lost, and the log is gap-free and chained
      long size = store.size("ws");
      List<Entry> entries = store.read("ws", 0, size);
      assertThat(entries).hasSize((int) size);
      TreeHasher hasher = new TreeHasher();
      Hash prev = Hash.ZERO;
      for (int i = 0; i < entries.size(); i++) {
        assertThat(entries.get(i).seq()).isEqualTo(i);
        assertThat(entries.get(i).json().get("prev_hash").asString()).isEqualTo(prev.hex());
        prev = hasher.leafHash(entries.get(i).canonical());
      }
      acknowledged.forEach((id, seq) -> assertThat(entries.get(seq.intValue()).id()).as(id).isEqualTo(id));

      // with no traffic, the health follows the database: backing_off while it is down, running once it is back
      pg.close();
      assertThat(unavailableCause(() -> store.append("ws", List.of(pending("ws", "idle-1", "x"))).join())).isTrue();
      assertThat(store.health().state()).isEqualTo(PartHealth.State.BACKING_OFF);
      pg = builder.start();
      await("the idle writer noticing the database is back", () -> store.health().state() == PartHealth.State.RUNNING);
      assertThat(store.append("ws", List.of(pending("ws", "idle-2", "x"))).join().getFirst().seq()).isEqualTo(size);
    } finally {
      pg.close();
    }
  }

  private static boolean unavailableCause(Runnable append) {
    try {
      append.run();
      return false;
    } catch (CompletionException e) {
      return e.getCause() instanceof JournalUnavailableException;
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(20); // polling a condition with a deadline
    }
  }
}
