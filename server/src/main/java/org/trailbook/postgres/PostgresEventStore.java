package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.OverloadedException;
import org.trailbook.health.PartHealth;
import org.trailbook.journal.AppendResult;
import org.trailbook.journal.CommitListener;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;
import org.trailbook.journal.FeedChanges;
import org.trailbook.journal.GroupCommitObserver;
import org.trailbook.journal.JournalUnavailableException;
import org.trailbook.journal.PendingEntry;
import org.trailbook.postgres.PostgresGroupCommit.Request;

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
 * <p>Reads are served from the database (nothing is cached that another node could change).
 */
public final class PostgresEventStore implements EventStore {
  private static final Logger log = LoggerFactory.getLogger(PostgresEventStore.class);
  private static final long PARTITION_CHECK_NANOS = TimeUnit.HOURS.toNanos(6);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final int DEADLOCK_RETRIES = 3;

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
  private final Options options;
  private final PostgresCommitFeed feed;
  private final PostgresGroupCommit groupCommit = new PostgresGroupCommit();
  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger pendingEvents = new AtomicInteger();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
  private final PartHealth health = new PartHealth("store_writer", "the PostgreSQL store writer",
      "writes are refused while the database cannot take them", true);
  private final Set<String> knownHeads = new java.util.HashSet<>(); // writer thread only
  private final Thread writer;
  private volatile boolean closing;
  private volatile GroupCommitObserver observer = GroupCommitObserver.NONE;
  private long backoffUntil;
  private long lastPartitionCheck;

  private PostgresEventStore(PostgresDatabase db, boolean ownsDatabase, Options options) {
    this.db = db;
    this.ownsDatabase = ownsDatabase;
    this.options = options;
    this.feed = new PostgresCommitFeed(db.dataSource(), options.feedLag());
    this.writer = Thread.ofPlatform().name("store-writer").daemon(true).unstarted(this::writeLoop);
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
    lastPartitionCheck = System.nanoTime();
    feed.start();
    writer.start();
  }

  // ---------------------------------------------------------------- writing

  @Override
  public CompletableFuture<List<AppendResult>> append(String workspace, List<PendingEntry> entries) {
    if (entries.isEmpty()) return CompletableFuture.completedFuture(List.of());
    for (PendingEntry e : entries) {
      if (!e.workspace().equals(workspace)) throw new IllegalArgumentException("entry of another workspace in the batch");
    }
    if (closing) throw new JournalUnavailableException("the store is closing", null);
    long bytes = 0;
    for (PendingEntry e : entries) bytes += e.head().length + e.middle().length + e.tail().length + 100;
    if (pendingEvents.addAndGet(entries.size()) > options.maxPendingEvents()) {
      pendingEvents.addAndGet(-entries.size());
      throw new OverloadedException("the store is " + options.maxPendingEvents() + " events behind; retry shortly", 1);
    }
    if (pendingBytes.addAndGet(bytes) > options.maxPendingBytes()) {
      pendingBytes.addAndGet(-bytes);
      pendingEvents.addAndGet(-entries.size());
      throw new OverloadedException("the store has " + (options.maxPendingBytes() >> 20) + " MiB of events waiting; retry shortly", 1);
    }
    CompletableFuture<List<AppendResult>> done = new CompletableFuture<>();
    Request request = new Request(workspace, entries, bytes, done);
    queue.add(request);
    // the writer sets `closing`-aware exit only after its last look at the queue: either it takes this request or we see the flag
    if (closing && queue.remove(request)) {
      release(request);
      done.completeExceptionally(new JournalUnavailableException("the store is closing", null));
    }
    return done;
  }

  private void release(Request r) {
    pendingEvents.addAndGet(-r.entries().size());
    pendingBytes.addAndGet(-r.bytes());
  }

  private void writeLoop() {
    health.running();
    List<Request> drained = new ArrayList<>();
    try {
      while (true) {
        health.progressed();
        Request first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing && queue.isEmpty()) break;
          maybeCreatePartitions();
          continue;
        }
        drained.add(first);
        int events = first.entries().size();
        long bytes = first.bytes();
        Request next;
        while (events < options.maxGroupEvents() && bytes < options.maxGroupBytes() && (next = queue.poll()) != null) {
          drained.add(next);
          events += next.entries().size();
          bytes += next.bytes();
        }
        commitOrFail(drained);
        for (Request r : drained) release(r);
        drained.clear();
      }
      health.stopped();
    } catch (Throwable t) {
      // an Error or an interrupt: nothing in the server interrupts the writer, so this is a fault; stop for good
      health.fail(t);
      JournalUnavailableException e = new JournalUnavailableException("the PostgreSQL store writer stopped: " + t, t);
      for (Request r : drained) r.done().completeExceptionally(e);
      Request r;
      while ((r = queue.poll()) != null) {
        r.done().completeExceptionally(e);
        release(r);
      }
    }
  }

  /** Commits a group, or fails its batches with a 503 and backs off when the database cannot take it. */
  private void commitOrFail(List<Request> requests) {
    long now = System.nanoTime();
    if (now < backoffUntil) {
      // the database failed the last group moments ago: answer at once instead of piling up behind timeouts
      PartHealth.Failure f = health.failure();
      String why = f == null ? "the PostgreSQL store is unavailable" : f.reason();
      for (Request r : requests) r.done().completeExceptionally(new JournalUnavailableException(why + "; retry shortly", f == null ? null : f.cause()));
      return;
    }
    try {
      commit(requests);
      health.succeeded(TimeUnit.SECONDS.toNanos(30));
    } catch (SQLException | RuntimeException e) {
      JournalUnavailableException failure = e instanceof CommitLost lost ? lost.answer() : unavailable("storing the events", e);
      for (Request r : requests) r.done().completeExceptionally(failure);
      long delay = Math.min(MAX_BACKOFF_NANOS, TimeUnit.MILLISECONDS.toNanos(100) << Math.min(5, health.streak()));
      health.retrying(e, delay);
      backoffUntil = System.nanoTime() + delay;
    }
  }

  private void commit(List<Request> requests) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = db.dataSource().getConnection()) {
        Set<String> fresh = new TreeSet<>();
        for (Request r : requests) if (!knownHeads.contains(r.workspace())) fresh.add(r.workspace());
        if (!fresh.isEmpty()) {
          c.setAutoCommit(true);
          PostgresGroupCommit.ensureHeads(c, fresh);
          knownHeads.addAll(fresh);
        }
        c.setAutoCommit(false);
        long started = System.nanoTime();
        PostgresGroupCommit.Outcome o;
        try {
          o = groupCommit.run(c, requests);
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c);
          throw e;
        }
        if (o.changeId() < 0) {
          c.rollback(); // only duplicates and conflicts: nothing to commit
        } else {
          try {
            c.commit();
          } catch (SQLException e) {
            throw new CommitLost(e);
          }
          feed.committed();
          tellListeners(o);
        }
        answer(requests, o);
        if (o.changeId() >= 0) observe(o, System.nanoTime() - started);
        return;
      } catch (SQLException e) {
        // a deadlock or serialization failure rolled the whole transaction back: safe to run it again
        boolean retryable = "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
        if (!retryable || attempt >= DEADLOCK_RETRIES) throw e;
        log.debug("group commit retried after {}", e.getSQLState());
      }
    }
  }

  private static void answer(List<Request> requests, PostgresGroupCommit.Outcome o) {
    for (int i = 0; i < requests.size(); i++) {
      var conflict = o.conflicts().get(i);
      if (conflict != null) requests.get(i).done().completeExceptionally(conflict);
      else requests.get(i).done().complete(o.results().get(i));
    }
  }

  private void tellListeners(PostgresGroupCommit.Outcome o) {
    for (CommitListener l : listeners) {
      try {
        l.committed(o.committed());
      } catch (RuntimeException ex) {
        log.error("commit listener failed", ex);
      }
    }
  }

  private void observe(PostgresGroupCommit.Outcome o, long nanos) {
    try {
      observer.committed(o.committed().size(), o.bytes(), nanos);
    } catch (RuntimeException ex) {
      log.error("group commit observer failed", ex);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken: the server rolls the transaction back when it goes
    }
  }

  private void maybeCreatePartitions() {
    if (System.nanoTime() - lastPartitionCheck < PARTITION_CHECK_NANOS) return;
    lastPartitionCheck = System.nanoTime();
    PostgresPartitions.ensureAhead(db.dataSource());
  }

  /** The 503 for a database failure, saying what kind it was. */
  static JournalUnavailableException unavailable(String doing, Exception e) {
    String state = e instanceof SQLException s ? s.getSQLState() : null;
    String kind;
    if ("57014".equals(state)) kind = "the database did not answer in time (statement timeout)";
    else if (e instanceof java.sql.SQLTransientConnectionException) kind = "no database connection could be had in time (the database is unreachable or the pool exhausted)";
    else if (state != null && (state.startsWith("08") || state.startsWith("57P"))) kind = "the database connection failed (the database is down or restarting)";
    else kind = "the database failed (" + (state == null ? e.getClass().getSimpleName() : "SQLSTATE " + state) + ")";
    return new JournalUnavailableException("the PostgreSQL store is unavailable while " + doing + ": " + kind + "; retry shortly", e);
  }

  /** The connection failed during COMMIT: whether the transaction committed cannot be known. */
  private static final class CommitLost extends RuntimeException {
    CommitLost(SQLException cause) {
      super("the connection failed during COMMIT", cause);
    }

    JournalUnavailableException answer() {
      return new JournalUnavailableException("the PostgreSQL store lost its connection while committing: these events may or may not "
          + "be stored; re-send them with the same ids (a stored one is answered as a duplicate)", getCause());
    }
  }

  /** Events accepted and not yet answered: what the pending limit bounds. */
  public int pendingEvents() {
    return pendingEvents.get();
  }

  /** The writer's health ({@code store_writer}): backing_off while the database cannot take writes. */
  public PartHealth health() {
    return health;
  }

  /** Sets the one observer told about every group commit (its third argument is the transaction's time). */
  public void observe(GroupCommitObserver observer) {
    this.observer = java.util.Objects.requireNonNull(observer);
  }

  // ---------------------------------------------------------------- reading

  @Override
  public long size(String workspace) {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT size FROM workspace_heads WHERE workspace = ?")) {
      s.setString(1, workspace);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw unavailable("reading a log's size", e);
    }
  }

  @Override
  public List<Entry> read(String workspace, long from, long to) {
    if (from < 0 || from > to) throw new IllegalArgumentException("bad range [" + from + ", " + to + ")");
    List<Entry> out = new ArrayList<>();
    // clamped to the head's size in the same statement (one snapshot); served by the (workspace, seq, ...) index
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT e.seq, e.id, e.canonical FROM entries e JOIN workspace_heads h ON h.workspace = e.workspace "
            + "WHERE e.workspace = ? AND e.seq >= ? AND e.seq < ? AND e.seq < h.size ORDER BY e.seq")) {
      s.setString(1, workspace);
      s.setLong(2, from);
      s.setLong(3, to);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) out.add(new Entry(workspace, rs.getLong(1), rs.getString(2), rs.getBytes(3)));
      }
    } catch (SQLException e) {
      throw unavailable("reading entries", e);
    }
    return out;
  }

  @Override
  public Optional<Entry> findById(String workspace, String id) {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT e.seq, e.canonical FROM entry_ids i JOIN entries e ON e.workspace = i.workspace AND e.seq = i.seq "
            + "WHERE i.workspace = ? AND i.id = ?")) {
      s.setString(1, workspace);
      s.setString(2, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new Entry(workspace, rs.getLong(1), id, rs.getBytes(2))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw unavailable("finding an entry", e);
    }
  }

  @Override
  public Set<String> workspaces() {
    Set<String> out = new TreeSet<>();
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT workspace FROM workspace_heads WHERE size > 0");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) out.add(rs.getString(1));
    } catch (SQLException e) {
      throw unavailable("listing workspaces", e);
    }
    return out;
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
  public void addListener(CommitListener listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {
    closing = true;
    try {
      writer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    feed.close();
    if (ownsDatabase) db.close();
  }
}
