package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.trailbook.journal.JournalUnavailableException;
import org.trailbook.journal.Purge;
import org.trailbook.merkle.Hash;
import org.trailbook.verify.LogChecker;
import org.trailbook.verify.PurgedPrefix;

/**
 * A workspace's purge state for {@link PostgresLogVerifier} ({@code V6__purge.sql}), read on the verifier's connection,
 * so in the same repeatable-read snapshot as the entries: the horizon (from the head row), the seqs kept below it, every
 * purge, and the purged leaf hashes, read a slice at a time as the checker asks for them.
 *
 * <p>The kept seqs are taken from {@code entry_ids}, not from the entries: a purge deletes the ids of what it removes
 * and nothing else, so an entry kept below the horizon whose row went missing is reported missing, not passed over as
 * purged. The bookkeeping itself is checked first (the leaf hashes cover every seq below the horizon, in whole chunks;
 * the purges follow one another up to the horizon; each purge's last leaf is the leaf hash kept for its seq), and a
 * problem there fails the workspace's check before any leaf is used.
 */
final class PostgresLogVerifierPurges {
  private final Connection snapshot;

  PostgresLogVerifierPurges(Connection snapshot) {
    this.snapshot = snapshot;
  }

  /** The purged prefix of {@code checker}'s workspace with horizon {@code horizon}; a bookkeeping problem fails {@code checker}. */
  PurgedPrefix of(LogChecker checker, long horizon) throws SQLException {
    String ws = checker.workspace();
    List<Purge> purges = purges(ws);
    if (horizon == 0 && purges.isEmpty()) return PurgedPrefix.NONE;
    String problem = leavesProblem(ws, horizon);
    if (problem == null) problem = purgesProblem(ws, horizon, purges);
    if (problem != null) checker.problem(0, problem);
    return new PurgedPrefix(horizon, kept(ws, horizon), purges, (from, to) -> {
      try {
        return PostgresPurge.leaves(snapshot, ws, from, to);
      } catch (SQLException e) {
        throw new JournalUnavailableException("cannot read the purged leaf hashes of workspace '" + ws + "': " + e.getMessage(), e);
      }
    });
  }

  private List<Purge> purges(String ws) throws SQLException {
    List<Purge> out = new ArrayList<>();
    try (PreparedStatement s = snapshot.prepareStatement(
        "SELECT from_seq, to_seq, removed, last_leaf, purged_at, reason FROM purges WHERE workspace = ? ORDER BY n")) {
      s.setString(1, ws);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new Purge(ws, rs.getLong(1), rs.getLong(2), rs.getLong(3), Hash.of(rs.getBytes(4)), rs.getTimestamp(5).toInstant(),
              rs.getString(6)));
        }
      }
    }
    return out;
  }

  private long[] kept(String ws, long horizon) throws SQLException {
    long[] out = new long[16];
    int n = 0;
    try (PreparedStatement s = snapshot.prepareStatement("SELECT seq FROM entry_ids WHERE workspace = ? AND seq < ? ORDER BY seq")) {
      s.setString(1, ws);
      s.setLong(2, horizon);
      s.setFetchSize(10_000);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          if (n == out.length) out = Arrays.copyOf(out, n * 2);
          out[n++] = rs.getLong(1);
        }
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** Why the purged leaf hashes do not cover exactly the seqs below the horizon in whole chunks, or null. */
  private String leavesProblem(String ws, long horizon) throws SQLException {
    try (PreparedStatement s = snapshot.prepareStatement("SELECT count(*), coalesce(sum(octet_length(hashes)), 0), coalesce(max(chunk), -1), "
        + "count(*) FILTER (WHERE octet_length(hashes) <> " + PostgresPurge.CHUNK * Hash.SIZE + " AND chunk <> (SELECT max(chunk) FROM purged_leaves "
        + "WHERE workspace = ?)) FROM purged_leaves WHERE workspace = ?")) {
      s.setString(1, ws);
      s.setString(2, ws);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        long chunks = rs.getLong(1), bytes = rs.getLong(2), last = rs.getLong(3), partial = rs.getLong(4);
        if (bytes == horizon * Hash.SIZE && last == chunks - 1 && partial == 0) return null;
        return "the purged leaf hashes (table purged_leaves) hold " + bytes / Hash.SIZE + " hashes in " + chunks + " chunks, but the purge "
            + "horizon is seq " + horizon + ": the store was altered, and the purged part of the log cannot be checked";
      }
    }
  }

  /** Why the purges do not follow one another up to the horizon, or one's last leaf is not the leaf hash kept for it, or null. */
  private String purgesProblem(String ws, long horizon, List<Purge> purges) throws SQLException {
    long at = 0;
    for (Purge p : purges) {
      if (p.fromSeq() != at || p.toSeq() < Math.max(1, p.fromSeq()) || p.toSeq() > horizon) {
        return "the purge of seqs " + p.fromSeq() + ".." + (p.toSeq() - 1) + " does not follow the purge before it (up to seq " + at
            + ") or goes beyond the purge horizon " + horizon + ": the purge records (table purges) were altered";
      }
      at = p.toSeq();
      if (!Hash.of(PostgresPurge.leaves(snapshot, ws, at - 1, at)).equals(p.lastLeaf())) {
        return "the purge up to seq " + at + " records a last leaf hash that is not the one kept for seq " + (at - 1) + ": the purge records "
            + "or the purged leaf hashes were altered";
      }
    }
    if (at != horizon) return "the purges end at seq " + at + " but the head row's purge horizon is " + horizon + ": the store was altered";
    return null;
  }
}
