package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.journal.FeedChanges;

/**
 * The commit feed of {@link PostgresEventStore}, shared by every node on the database.
 *
 * <p><b>Cursor.</b> Every write transaction takes one change id from the sequence {@code entry_change_ids} and sets
 * it into the head rows it changes. Transactions commit out of change-id order, so "{@code change_id > }the largest
 * id seen" would miss a transaction that took a smaller id and committed later. The cursor therefore carries a
 * <em>watermark</em> W: every transaction that took an id {@code <= W} has ended and was reported. A call answers
 * the heads with {@code change_id > W} (so it names workspaces of the last moments again, which the contract
 * allows) and moves W to the sequence's value as this node read it at least {@code lag} ago: the transactions that
 * had taken those ids then have ended by now, because a write transaction takes its id in its last statement and
 * cannot outlive that statement's timeout plus the idle-in-transaction timeout (see {@code PostgresDatabase}: a
 * writer that stalls before its COMMIT is cut off and rolled back), which {@code lag} exceeds. (A COMMIT held up
 * longer than that, e.g. by a synchronous standby that is gone, is outside this bound: size {@code lag} for it.) Those ended transactions are visible to this call's query, so they are reported now or were
 * before. W means the same on every node, so a consumer's cursor survives a restart or a move to another node.
 *
 * <p><b>Waking.</b> The cursor is {@code W << 16} (room for 2^47 transactions); its low 16 bits hold this node's count of commits seen when the cursor was handed
 * out: {@link #awaitChange} returns as soon as the count moved. Commits are seen through LISTEN/NOTIFY on a dedicated
 * connection (the writer NOTIFYs in its commit transaction), this node's own commits, and a poll every 100 ms that
 * also notices commits when notifications are lost (a sum over the heads changed after the watermark grows with
 * every commit). The same poll reads the sequence for the watermark's history.
 */
final class PostgresCommitFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresCommitFeed.class);
  private static final int SEEN_BITS = 16;
  private static final long SEEN_MASK = (1L << SEEN_BITS) - 1;
  private static final long POLL_MILLIS = 100;

  /** The sequence's value as read at {@code nanos}: every id up to {@code value} was taken before then. */
  private record Mark(long nanos, long value) {}

  private final DataSource dataSource;
  private final long lagNanos;
  private final ArrayDeque<Mark> marks = new ArrayDeque<>(); // guarded by this
  private long seen; // commits seen by this node; guarded by this
  private final Thread listener;
  private volatile boolean closing;
  private Connection connection; // the listener thread's own
  private long polledWatermark = -1;
  private long polledSum = -1;

  PostgresCommitFeed(DataSource dataSource, Duration lag) {
    this.dataSource = dataSource;
    this.lagNanos = lag.toNanos();
    this.listener = Thread.ofPlatform().name("store-feed-listener").daemon(true).unstarted(this::listen);
  }

  /** Starts listening: LISTEN is issued before this returns (when the database answers), so no later commit goes unseen. */
  void start() {
    try {
      connectAndListen();
    } catch (SQLException | RuntimeException e) {
      log.debug("commit feed listener: {}", e.toString()); // the listener thread retries
      closeConnection();
    }
    listener.start();
  }

  private void connectAndListen() throws SQLException {
    connection = dataSource.getConnection();
    try (Statement s = connection.createStatement()) {
      s.execute("LISTEN " + PostgresGroupCommit.CHANNEL);
    }
  }

  /** A commit of this node became visible. */
  synchronized void committed() {
    seen++;
    notifyAll();
  }

  FeedChanges changesSince(long cursor) {
    long from = cursor < 0 ? -1 : cursor >>> SEEN_BITS;
    long seenNow;
    long watermark;
    synchronized (this) {
      seenNow = seen; // before the query: a commit seen meanwhile wakes the next awaitChange at once
      watermark = Math.max(Math.max(from, 0), watermark(System.nanoTime()));
    }
    Map<String, Long> sizes = new HashMap<>();
    String sql = "SELECT workspace, size FROM workspace_heads WHERE size > 0" + (from < 0 ? "" : " AND change_id > ?");
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      if (from >= 0) s.setLong(1, from);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) sizes.put(rs.getString(1), rs.getLong(2));
      }
    } catch (SQLException e) {
      throw PostgresFailures.unavailable("reading the commit feed", e);
    }
    return new FeedChanges((watermark << SEEN_BITS) | (seenNow & SEEN_MASK), sizes);
  }

  boolean awaitChange(long cursor, Duration timeout) throws InterruptedException {
    if (cursor < 0) return true;
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while ((seen & SEEN_MASK) == (cursor & SEEN_MASK)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** The newest sequence value read at least {@code lag} before {@code now}; 0 if none is that old. Holds the lock. */
  private long watermark(long now) {
    long w = 0;
    for (Mark m : marks) {
      if (now - m.nanos() < lagNanos) break;
      w = m.value();
    }
    return w;
  }

  private synchronized void mark(long value) {
    long now = System.nanoTime(); // after the read: every id up to value was taken before now
    marks.addLast(new Mark(now, value));
    // keep one mark older than lag (the watermark candidate) and every newer one
    while (marks.size() > 1) {
      Mark first = marks.pollFirst();
      Mark second = marks.peekFirst();
      if (now - second.nanos() < lagNanos) {
        marks.addFirst(first);
        break;
      }
    }
  }

  private void listen() {
    long backoff = POLL_MILLIS;
    while (!closing) {
      try {
        if (connection == null) {
          connectAndListen();
          committed(); // notifications may have been missed while not listening
        }
        PGNotification[] got = connection.unwrap(PGConnection.class).getNotifications((int) POLL_MILLIS);
        if (got != null && got.length > 0) committed();
        poll();
        backoff = POLL_MILLIS;
      } catch (SQLException | RuntimeException e) {
        if (closing) break;
        log.debug("commit feed listener: {}", e.toString());
        closeConnection();
        try {
          Thread.sleep(backoff); // reconnecting; waiting consumers still time out and re-read the feed
        } catch (InterruptedException ie) {
          break;
        }
        backoff = Math.min(backoff * 2, 2_000);
      }
    }
    closeConnection();
  }

  /** Reads the sequence (the watermark's history) and notices commits NOTIFY did not bring. */
  private void poll() throws SQLException {
    long watermark;
    synchronized (this) {
      watermark = watermark(System.nanoTime());
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM entry_change_ids), "
            + "(SELECT coalesce(sum(change_id), 0) FROM workspace_heads WHERE change_id > " + watermark + ")")) {
      rs.next();
      mark(rs.getLong(1));
      long sum = rs.getLong(2);
      // with the watermark fixed, every commit raises the sum (a head's change id only grows, past the watermark)
      if (watermark == polledWatermark && sum != polledSum) committed();
      polledWatermark = watermark;
      polledSum = sum;
    }
  }

  private void closeConnection() {
    if (connection == null) return;
    try {
      connection.close();
    } catch (SQLException ignored) {
      // the connection is broken or the feed is closing; a new one is opened if needed
    }
    connection = null;
  }

  @Override
  public void close() {
    closing = true;
    try {
      listener.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
