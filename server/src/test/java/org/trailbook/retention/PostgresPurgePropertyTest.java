package org.trailbook.retention;

import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.PropertyDefaults;
import org.trailbook.checkpoint.Checkpoints;
import org.trailbook.postgres.PostgresRestoredViews;
import org.trailbook.postgres.PostgresCheckpoints;
import org.trailbook.postgres.PostgresDatabase;
import org.trailbook.postgres.PostgresEventStore;
import org.trailbook.postgres.PostgresServerSecrets;
import org.trailbook.postgres.PostgresSigningLease;
import org.trailbook.postgres.StoreUrl;
import org.trailbook.postgres.TestPartitions;
import org.trailbook.postgres.TestPostgres;

/**
 * The purge property ({@link PurgePropertyContract}) on the PostgreSQL store: each try on a fresh database of the
 * embedded PostgreSQL, one node wired as {@code Storage} wires it (the event store, checkpoints, log key and signing
 * lease in the database; the trees, archive staging and restored views in the node's directory). A restart closes the
 * node's store, trees and lease and opens them again on the same database (with dropTrees, the tree files are thrown
 * away first and rebuilt from the entries and the purged leaf hashes the store kept). Each try's database has a
 * partition of {@code entries} for each month of the clock's first year, as a server that ran through them would: the
 * entries go to their month, and a purge that empties a month (before the real one) drops its partition, while the
 * entries it kept hold theirs.
 *
 * <p>Fewer tries than the embedded one: a try on PostgreSQL costs a database, its migration and a lease per
 * (re)start, and this class should stay within about a minute and a half on a small machine.
 */
@PropertyDefaults(tries = 25)
class PostgresPurgePropertyTest extends PurgePropertyContract {
  /** The months from the clock's start that get a partition of their own: more than a try's clock usually passes. */
  private static final int MONTHS = 12;

  @Override
  protected Backend newBackend() {
    String url = TestPostgres.newDatabase();
    AtomicBoolean fresh = new AtomicBoolean(true);
    return dir -> {
      PostgresDatabase db = PostgresDatabase.open(StoreUrl.parse(url), new PostgresDatabase.Options(4, Duration.ofSeconds(5), Duration.ofSeconds(10)));
      PostgresEventStore events = PostgresEventStore.open(db);
      if (fresh.getAndSet(false)) TestPartitions.create(db, YearMonth.from(START.atOffset(ZoneOffset.UTC)), MONTHS);
      PostgresSigningLease lease = PostgresSigningLease.forSigner(StoreUrl.parse(url), "purge-property");
      Runnable close = () -> {
        lease.close();
        events.close();
        db.close();
      };
      awaitLease(lease, close);
      Checkpoints checkpoints = PostgresCheckpoints.open(db);
      return new Store(events, checkpoints, new PostgresServerSecrets(db.dataSource()), lease, new PostgresRestoredViews(db), close);
    };
  }

  /** The one node signs, as the file backend's does: its lease is had before the node goes on (the last one's ended with its session). */
  private static void awaitLease(PostgresSigningLease lease, Runnable close) {
    try {
      if (lease.awaitHeld(Duration.ofSeconds(10))) return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close.run();
    throw new IllegalStateException("the node did not get the signing lease within 10 s");
  }
}
