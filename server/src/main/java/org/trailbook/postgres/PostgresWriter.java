package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.health.PartHealth;
import org.trailbook.journal.AppendResult;
import org.trailbook.journal.GroupCommitObserver;
import org.trailbook.journal.JournalUnavailableException;
import org.trailbook.journal.PendingEntry;
import org.trailbook.journal.PendingLimit;
import org.trailbook.postgres.PostgresGroupCommit.Request;

/**
 * The writer of {@link PostgresEventStore}: bounded admission of batches, and one thread that drains them into group
 * commits ({@link PostgresGroupCommit}), answers them once committed, and backs off (answering 503 at once) while the
 * database fails. It never stops for a database failure; only an Error stops it for good.
 */
final class PostgresWriter {
  private static final Logger log = LoggerFactory.getLogger(PostgresWriter.class);
  private static final long PARTITION_CHECK_NANOS = TimeUnit.HOURS.toNanos(6);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final int DEADLOCK_RETRIES = 3;

  private final DataSource dataSource;
  private final PostgresEventStore.Options options;
  private final Runnable onCommit;
  private final PostgresGroupCommit groupCommit = new PostgresGroupCommit();
  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final PendingLimit pending;
  final PartHealth health = new PartHealth("store_writer", "the PostgreSQL store writer",
      "writes are refused while the database cannot take them", true);
  private final Set<String> knownHeads = new HashSet<>(); // writer thread only
  private final Thread writer;
  private volatile boolean closing;
  /** The writer ended for good (an Error): appends are refused from then on. */
  private volatile boolean stopped;
  volatile GroupCommitObserver observer = GroupCommitObserver.NONE;
  private long backoffUntil;
  private long lastPartitionCheck = System.nanoTime();

  /** {@code onCommit} runs on the writer thread right after each commit (the feed counts it). */
  PostgresWriter(DataSource dataSource, PostgresEventStore.Options options, Runnable onCommit) {
    this.dataSource = dataSource;
    this.options = options;
    this.pending = new PendingLimit("the store", options.maxPendingEvents(), options.maxPendingBytes());
    this.onCommit = onCommit;
    this.writer = Thread.ofPlatform().name("store-writer").daemon(true).unstarted(this::writeLoop);
  }

  void start() {
    writer.start();
  }

  int pendingEvents() {
    return pending.events();
  }

  /** Queues a batch (all of {@code workspace}); see {@link PostgresEventStore#append}. */
  CompletableFuture<List<AppendResult>> submit(String workspace, List<PendingEntry> entries) {
    if (entries.isEmpty()) return CompletableFuture.completedFuture(List.of());
    for (PendingEntry e : entries) {
      if (!e.workspace().equals(workspace)) throw new IllegalArgumentException("entry of another workspace in the batch");
    }
    if (closing || stopped) throw new JournalUnavailableException(closing ? "the store is closing" : "the PostgreSQL store writer stopped", null);
    long bytes = pending.take(entries);
    CompletableFuture<List<AppendResult>> done = new CompletableFuture<>();
    Request request = new Request(workspace, entries, bytes, done);
    queue.add(request);
    // the writer looks at the queue once more after `closing` or `stopped` is set: either it takes this request or we see the flag
    if ((closing || stopped) && queue.remove(request)) {
      release(request);
      done.completeExceptionally(new JournalUnavailableException(closing ? "the store is closing" : "the PostgreSQL store writer stopped", null));
    }
    return done;
  }

  /** A group is about to be answered: its events no longer count as pending (so its clients may send more at once). */
  private void releaseAll(List<Request> requests) {
    for (Request r : requests) release(r);
  }

  private void release(Request r) {
    pending.give(r.entries().size(), r.bytes());
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
          probeWhileBackingOff();
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
        drained.clear();
      }
      health.stopped();
    } catch (Throwable t) {
      // an Error or an interrupt: nothing in the server interrupts the writer, so this is a fault; stop for good
      health.fail(t);
      stopped = true; // before the last look at the queue, as closing is (see submit)
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
      releaseAll(requests);
      for (Request r : requests) r.done().completeExceptionally(new JournalUnavailableException(why + "; retry shortly", f == null ? null : f.cause()));
      return;
    }
    try {
      commit(requests);
    } catch (SQLException | RuntimeException e) {
      JournalUnavailableException failure = e instanceof CommitLost lost ? lost.answer() : PostgresFailures.unavailable("storing the events", e);
      backOff(e); // before answering: whoever gets the 503 sees the health say why
      releaseAll(requests);
      for (Request r : requests) r.done().completeExceptionally(failure);
    }
  }

  private void backOff(Exception e) {
    long delay = Math.min(MAX_BACKOFF_NANOS, TimeUnit.MILLISECONDS.toNanos(100) << Math.min(5, health.streak()));
    health.retrying(e, delay);
    backoffUntil = System.nanoTime() + delay;
  }

  private void commit(List<Request> requests) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
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
            // an answer from the server (a serialization failure, say) means it rolled back; a lost connection leaves it unknown
            String state = e.getSQLState();
            if (state == null || state.startsWith("08") || state.startsWith("57P")) throw new CommitLost(e);
            throw e;
          }
          onCommit.run();
        }
        health.succeeded(TimeUnit.SECONDS.toNanos(30)); // before answering, as failures are
        releaseAll(requests);
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

  /**
   * While backing off and idle, tries the database once the back-off elapsed, so the health turns {@code running}
   * again when the database is back even if no append comes (and stays {@code backing_off} while it is not).
   */
  private void probeWhileBackingOff() {
    if (health.state() != PartHealth.State.BACKING_OFF || System.nanoTime() < backoffUntil) return;
    try (Connection c = dataSource.getConnection()) {
      if (!c.isValid(5)) throw new SQLException("the database did not answer a validity check", "08006");
      health.succeeded(TimeUnit.SECONDS.toNanos(30));
    } catch (SQLException | RuntimeException e) {
      backOff(e);
    }
  }

  private void maybeCreatePartitions() {
    if (System.nanoTime() - lastPartitionCheck < PARTITION_CHECK_NANOS) return;
    lastPartitionCheck = System.nanoTime();
    PostgresPartitions.ensureAhead(dataSource);
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

  /** Lets the writer finish what is queued, then stop (within 30 s). */
  void close() {
    closing = true;
    try {
      writer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
