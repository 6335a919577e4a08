package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.trailbook.journal.Purge;
import org.trailbook.merkle.Hash;

/**
 * The purge of {@link PostgresEventStore} (retention, docs/adr/0004) and the reads of what it leaves behind
 * ({@code V6__purge.sql}): the horizon in the head row, the leaf hashes of every seq below it in {@code purged_leaves},
 * and the {@code purges} records.
 *
 * <p>One purge is one transaction, so a crash or a failure at any moment leaves the state before or the state after.
 * Two purges of one workspace (on any node) serialise on a transaction-scoped advisory lock taken first; a purge and
 * the writers of its workspace serialise on the head row, which the purge locks in its last statement (setting the
 * horizon). That is enough: the purge changes only rows below the log's size, which writers never touch, and the
 * writer's id lookups run while it holds the head row, so they see the whole log before the purge or after it. Taking
 * the head row first instead would hold up the node's writer thread, and so every workspace's ingest, for as long as
 * the purge takes.
 *
 * <p>The removal of millions of entries is a few statements over the entries' primary key, each allowed {@link
 * #STATEMENT_TIMEOUT} (SET LOCAL) instead of the pool's timeout: a purge runs in the background and holds no lock a
 * writer waits for until its last statement, so a long statement hurts no one, while splitting the purge into several
 * transactions would leave a crash half way between "before" and "after".
 */
final class PostgresPurge {
  /** Leaf hashes per {@code purged_leaves} row. */
  static final int CHUNK = 4096;
  /** How long each statement of a purge may take (the pool's statement timeout is meant for requests). */
  static final Duration STATEMENT_TIMEOUT = Duration.ofMinutes(30);

  /** What the purge's transaction did: the purge (null: nothing), and the months of received_at it removed entries from. */
  private record Done(Purge purge, YearMonth oldest, YearMonth newest) {}

  /** A workspace's size and purge horizon, from its head row. */
  private record Head(long size, long horizon) {}

  /** How many entries a purge removed, and the first and last month of their received_at (null when none). */
  private record Removed(long count, YearMonth oldest, YearMonth newest) {}

  private final DataSource dataSource;

  PostgresPurge(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * See {@link org.trailbook.journal.EventStore#purge}. After the commit, the past months the purge removed entries from
   * are dropped if that left them empty ({@link PostgresPartitions#dropEmptyPast}, best effort: what it cannot drop now,
   * the next purge over those months or the next start does).
   */
  Purge purge(String workspace, long toSeq, long[] keep, String reason) {
    if (toSeq < 0) throw new IllegalArgumentException("toSeq must not be negative: " + toSeq);
    long[] kept = keep.clone();
    Arrays.sort(kept);
    for (long seq : kept) {
      if (seq < 0 || seq >= toSeq) throw new IllegalArgumentException("keep names seq " + seq + ", which is not below toSeq " + toSeq);
    }
    Done done = Sql.inTransaction(dataSource, "purge workspace '" + workspace + "'", c -> {
      try (var s = c.createStatement()) {
        s.execute("SET LOCAL statement_timeout = " + STATEMENT_TIMEOUT.toMillis());
      }
      Sql.lockWorkspace(c, "purge", workspace);
      Head head = head(c, workspace);
      long from = head.horizon();
      if (toSeq > head.size()) throw new IllegalArgumentException("toSeq " + toSeq + " is beyond the log's size " + head.size());
      long to = Math.max(toSeq, from); // the horizon never moves back; entries below it not kept go too
      if (to > from) keepLeaves(c, workspace, from, to);
      Removed removed = remove(c, workspace, to, kept);
      if (to == from && removed.count() == 0) return new Done(null, null, null);
      Hash lastLeaf = Hash.of(leaves(c, workspace, to - 1, to));
      return new Done(record(c, workspace, from, to, removed.count(), lastLeaf, reason), removed.oldest(), removed.newest());
    });
    if (done.oldest() != null) PostgresPartitions.dropEmptyPast(dataSource, done.oldest(), done.newest());
    return done.purge();
  }

  /** The horizon of the workspace: 0 when it was never purged (or has no log). */
  long purgedBefore(String workspace) {
    return Sql.run(dataSource, "read the purge horizon of workspace '" + workspace + "'", c -> head(c, workspace).horizon());
  }

  /** The leaf hashes of seqs {@code [from, to)}, all below the horizon, 32 bytes each. */
  byte[] purgedLeaves(String workspace, long from, long to) {
    if (from < 0 || from > to) throw new IllegalArgumentException("bad range [" + from + ", " + to + ")");
    if (from == to) return new byte[0];
    return Sql.run(dataSource, "read the purged leaf hashes of workspace '" + workspace + "'", c -> {
      long horizon = head(c, workspace).horizon();
      if (to > horizon) throw new IllegalArgumentException("seqs from " + horizon + " on are not purged (asked up to " + to + ")");
      return leaves(c, workspace, from, to);
    });
  }

  /** Every purge of the workspace, oldest first. */
  List<Purge> purges(String workspace) {
    return Sql.run(dataSource, "read the purges of workspace '" + workspace + "'", c -> {
      List<Purge> out = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(
          "SELECT from_seq, to_seq, removed, last_leaf, purged_at, reason FROM purges WHERE workspace = ? ORDER BY n")) {
        s.setString(1, workspace);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(new Purge(workspace, rs.getLong(1), rs.getLong(2), rs.getLong(3), Hash.of(rs.getBytes(4)),
                rs.getTimestamp(5).toInstant(), rs.getString(6)));
          }
        }
      }
      return out;
    });
  }

  /** The workspace's size and horizon from its head row (both 0 without one). */
  private static Head head(Connection c, String workspace) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT size, purged_before FROM workspace_heads WHERE workspace = ?")) {
      s.setString(1, workspace);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? new Head(rs.getLong(1), rs.getLong(2)) : new Head(0, 0);
      }
    }
  }

  /**
   * Appends the leaf hashes of seqs {@code [from, to)} (all still stored: nothing at or above the old horizon was
   * purged) to {@code purged_leaves}, in the database: the last chunk is extended, whole new ones inserted. A chunk is
   * only extended when it ends exactly at {@code from}; anything else means the table was altered, and the purge fails.
   */
  private static void keepLeaves(Connection c, String workspace, long from, long to) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "WITH a AS (SELECT seq / " + CHUNK + " AS chunk, string_agg(leaf_hash, ''::bytea ORDER BY seq) AS hashes, count(*) AS n "
            + "FROM entries WHERE workspace = ? AND seq >= ? AND seq < ? GROUP BY seq / " + CHUNK + "), "
            + "i AS (INSERT INTO purged_leaves (workspace, chunk, hashes) SELECT ?, chunk, hashes FROM a "
            + "ON CONFLICT (workspace, chunk) DO UPDATE SET hashes = purged_leaves.hashes || excluded.hashes "
            + "WHERE octet_length(purged_leaves.hashes) = (?::bigint - purged_leaves.chunk * " + CHUNK + ") * 32 RETURNING 1) "
            + "SELECT (SELECT coalesce(sum(n), 0) FROM a), (SELECT count(*) FROM a), (SELECT count(*) FROM i)")) {
      s.setString(1, workspace);
      s.setLong(2, from);
      s.setLong(3, to);
      s.setString(4, workspace);
      s.setLong(5, from);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        if (rs.getLong(1) != to - from || rs.getLong(2) != rs.getLong(3)) {
          throw new IllegalStateException("workspace '" + workspace + "': the purge of seqs [" + from + ", " + to + ") found "
              + rs.getLong(1) + " of their entries and " + (rs.getLong(2) - rs.getLong(3)) + " chunks of purged leaf hashes out of place: "
              + "the store was altered; nothing was purged");
        }
      }
    }
  }

  /**
   * Deletes the workspace's entries below {@code to} except {@code kept}, and their ids from {@code entry_ids} (so an
   * id purged can be stored again); answers how many entries went.
   */
  private static Removed remove(Connection c, String workspace, long to, long[] kept) throws SQLException {
    Long[] boxed = new Long[kept.length];
    for (int i = 0; i < kept.length; i++) boxed[i] = kept[i];
    try (PreparedStatement s = c.prepareStatement(
        "WITH d AS (DELETE FROM entries WHERE workspace = ? AND seq < ? AND seq <> ALL(?::bigint[]) RETURNING seq, id, received_at), "
            + "x AS (DELETE FROM entry_ids i USING d WHERE i.workspace = ? AND i.id = d.id AND i.seq = d.seq) "
            + "SELECT count(*), to_char(min(received_at) AT TIME ZONE 'UTC', 'YYYY-MM'), to_char(max(received_at) AT TIME ZONE 'UTC', 'YYYY-MM') FROM d")) {
      s.setString(1, workspace);
      s.setLong(2, to);
      s.setArray(3, c.createArrayOf("bigint", boxed));
      s.setString(4, workspace);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        if (rs.getLong(1) == 0) return new Removed(0, null, null);
        return new Removed(rs.getLong(1), YearMonth.parse(rs.getString(2)), YearMonth.parse(rs.getString(3)));
      }
    }
  }

  /** The purged leaf hashes of seqs {@code [from, to)}, read as slices of their chunks. */
  static byte[] leaves(Connection c, String workspace, long from, long to) throws SQLException {
    byte[] out = new byte[Math.toIntExact((to - from) * 32)];
    int at = 0;
    try (PreparedStatement s = c.prepareStatement(
        "SELECT chunk, substring(hashes FROM (greatest(?, chunk * " + CHUNK + ") - chunk * " + CHUNK + ")::int * 32 + 1 "
            + "FOR (least(?, (chunk + 1) * " + CHUNK + ") - greatest(?, chunk * " + CHUNK + "))::int * 32) "
            + "FROM purged_leaves WHERE workspace = ? AND chunk >= ? AND chunk <= ? ORDER BY chunk")) {
      s.setLong(1, from);
      s.setLong(2, to);
      s.setLong(3, from);
      s.setString(4, workspace);
      s.setLong(5, from / CHUNK);
      s.setLong(6, (to - 1) / CHUNK);
      s.setFetchSize(64);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          byte[] slice = rs.getBytes(2);
          if (at + slice.length > out.length) break;
          System.arraycopy(slice, 0, out, at, slice.length);
          at += slice.length;
        }
      }
    }
    if (at != out.length) {
      throw new IllegalStateException("workspace '" + workspace + "': the purged leaf hashes of seqs [" + from + ", " + to
          + ") are incomplete (" + at / 32 + " found): the store was altered");
    }
    return out;
  }

  /** Records the purge, then sets the horizon: the last statement, the only one that waits for the workspace's writers. */
  private static Purge record(Connection c, String workspace, long from, long to, long removed, Hash lastLeaf, String reason)
      throws SQLException {
    Instant purgedAt;
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO purges (workspace, n, from_seq, to_seq, removed, last_leaf, purged_at, reason) "
            + "SELECT ?, coalesce(max(n), 0) + 1, ?, ?, ?, ?, statement_timestamp(), ? FROM purges WHERE workspace = ? RETURNING purged_at")) {
      s.setString(1, workspace);
      s.setLong(2, from);
      s.setLong(3, to);
      s.setLong(4, removed);
      s.setBytes(5, lastLeaf.toBytes());
      s.setString(6, reason);
      s.setString(7, workspace);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        purgedAt = rs.getTimestamp(1).toInstant();
      }
    }
    try (PreparedStatement s = c.prepareStatement("UPDATE workspace_heads SET purged_before = ? WHERE workspace = ?")) {
      s.setLong(1, to);
      s.setString(2, workspace);
      if (s.executeUpdate() != 1) throw new IllegalStateException("workspace '" + workspace + "' has entries but no head row");
    }
    return new Purge(workspace, from, to, removed, lastLeaf, purgedAt, reason);
  }
}
