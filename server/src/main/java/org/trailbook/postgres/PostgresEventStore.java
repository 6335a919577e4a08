package org.trailbook.postgres;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.trailbook.health.PartHealth;
import org.trailbook.journal.AppendResult;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;
import org.trailbook.journal.FeedChanges;
import org.trailbook.journal.GroupCommitObserver;
import org.trailbook.journal.JournalUnavailableException;
import org.trailbook.journal.PendingEntry;
import org.trailbook.journal.Purge;

/**
 * The PostgreSQL event store: every workspace's log in the tables of {@code V1__entries.sql}, shared by any number of
 * nodes (one store per node on the same database). Like {@code FileJournal}, one writer thread group-commits: it
 * drains the pending batches into one transaction ({@link PostgresGroupCommit}) and acknowledges them only once it
 * committed. Seqs and prev_hashes come from the workspace's head row, locked in that transaction, so they stay
 * gap-free and exactly once across nodes.
 *
 * <p>Unlike the file journal, a failed transaction is rolled back, so nothing is ambiguous and the writer keeps going:
 * while the database is down, restarting, slow (a statement timeout) or the pool is exhausted, the group's batches fail
 * with {@link JournalUnavailableException} (503), {@link #health()} shows {@code backing_off}, and the next group
 * after the back-off tries again. The one ambiguous case is a connection lost during COMMIT: that batch is answered
 * "may or may not be stored", and re-sending the same ids is safe by idempotency.
 *
 * <p>Reads are served from the database (nothing is cached that another node could change). A purge ({@link
 * PostgresPurge}) deletes the rows it removes, so reads simply no longer find them.
 */
public final class PostgresEventStore implements EventStore {
  /**
   * Tunables. {@code feedLag} must exceed how long a write transaction can last after taking its change id (see
   * {@link PostgresCommitFeed}); {@link #defaults} derives it from the database's timeouts.
   */
  public record Options(int maxPendingEvents, long maxPendingBytes, int maxGroupEvents, int maxGroupBytes, Duration feedLag) {
    /** Bounds like the file journal's; the feed lag from the statement timeout (x1) and idle-in-transaction timeout (x3), plus 5 s. */
    public static Options defaults(PostgresDatabase.Options db) {
      return new Options(200_000, 256L << 20, 5_000, 16 << 20, db.statementTimeout().multipliedBy(4).plusSeconds(5));
    }
  }

  private final PostgresDatabase db;
  private final boolean ownsDatabase;
  private final PostgresCommitFeed feed;
  private final PostgresReads reads;
  private final PostgresPurge purges;
  private final PostgresWriter writer;

  private PostgresEventStore(PostgresDatabase db, boolean ownsDatabase, Options options) {
    this.db = db;
    this.ownsDatabase = ownsDatabase;
    this.feed = new PostgresCommitFeed(db.dataSource(), options.feedLag());
    this.reads = new PostgresReads(db.dataSource());
    this.purges = new PostgresPurge(db.dataSource());
    this.writer = new PostgresWriter(db.dataSource(), options, feed::committed);
  }

  /** Opens the store on an open, migrated database (which the caller closes after the store). */
  public static PostgresEventStore open(PostgresDatabase db, Options options) {
    PostgresEventStore s = new PostgresEventStore(db, false, options);
    s.start();
    return s;
  }

  public static PostgresEventStore open(PostgresDatabase db) {
    return open(db, Options.defaults(db.options()));
  }

  /** Connects to {@code url}, migrates, and opens the store on it; closing the store closes the database. */
  public static PostgresEventStore open(StoreUrl url) {
    PostgresDatabase db = PostgresDatabase.open(url, PostgresDatabase.Options.defaults());
    PostgresEventStore s = new PostgresEventStore(db, true, Options.defaults(db.options()));
    s.start();
    return s;
  }

  private void start() {
    PostgresPartitions.ensureAhead(db.dataSource());
    PostgresPartitions.dropEmptyPast(db.dataSource()); // space a purge could not give back at once
    feed.start();
    writer.start();
  }

  // ---------------------------------------------------------------- writing

  @Override
  public CompletableFuture<List<AppendResult>> append(String workspace, List<PendingEntry> entries) {
    return writer.submit(workspace, entries);
  }

  /** Events accepted and not yet answered: what the pending limit bounds. */
  public int pendingEvents() {
    return writer.pendingEvents();
  }

  /** The writer's health ({@code store_writer}): backing_off while the database cannot take writes. */
  public PartHealth health() {
    return writer.health;
  }

  /** Sets the one observer told about every group commit (its third argument is the transaction's time). */
  public void observe(GroupCommitObserver observer) {
    writer.observer = java.util.Objects.requireNonNull(observer);
  }

  // ---------------------------------------------------------------- reading

  @Override
  public long size(String workspace) {
    return reads.size(workspace);
  }

  @Override
  public List<Entry> read(String workspace, long from, long to) {
    return reads.read(workspace, from, to);
  }

  @Override
  public List<Entry> readSeqs(String workspace, long[] seqs) {
    return reads.readSeqs(workspace, seqs);
  }

  @Override
  public Optional<Entry> findById(String workspace, String id) {
    return reads.findById(workspace, id);
  }

  // ---------------------------------------------------------------- retention

  /** One transaction ({@link PostgresPurge}); then the monthly partitions it left empty are dropped. */
  @Override
  public Purge purge(String workspace, long toSeq, long[] keep, String reason) {
    return purges.purge(workspace, toSeq, keep, reason);
  }

  @Override
  public long purgedBefore(String workspace) {
    return purges.purgedBefore(workspace);
  }

  @Override
  public byte[] purgedLeaves(String workspace, long from, long to) {
    return purges.purgedLeaves(workspace, from, to);
  }

  @Override
  public List<Purge> purges(String workspace) {
    return purges.purges(workspace);
  }

  @Override
  public Set<String> workspaces() {
    return reads.workspaces();
  }

  @Override
  public FeedChanges changesSince(long cursor) {
    return feed.changesSince(cursor);
  }

  @Override
  public boolean awaitChange(long cursor, Duration timeout) throws InterruptedException {
    return feed.awaitChange(cursor, timeout);
  }

  @Override
  public void close() {
    writer.close();
    feed.close();
    if (ownsDatabase) db.close();
  }
}
