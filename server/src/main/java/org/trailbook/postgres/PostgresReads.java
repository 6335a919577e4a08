package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.trailbook.journal.Entry;

/**
 * The reads of {@link PostgresEventStore}, each one statement on a pooled connection, straight from the database:
 * nothing is cached, because another node may have written since. Reads by (workspace, seq) use the entries' primary
 * key index; a database failure is a {@link org.trailbook.journal.JournalUnavailableException} (503).
 */
final class PostgresReads {
  /** Entries of a workspace from a seq to another, clamped to the head's size in the same statement (one snapshot). */
  static final String READ = "SELECT e.seq, e.id, e.canonical FROM entries e JOIN workspace_heads h ON h.workspace = e.workspace "
      + "WHERE e.workspace = ? AND e.seq >= ? AND e.seq < ? AND e.seq < h.size ORDER BY e.seq";

  private final DataSource dataSource;

  PostgresReads(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  long size(String workspace) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT size FROM workspace_heads WHERE workspace = ?")) {
      s.setString(1, workspace);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw PostgresFailures.unavailable("reading a log's size", e);
    }
  }

  List<Entry> read(String workspace, long from, long to) {
    if (from < 0 || from > to) throw new IllegalArgumentException("bad range [" + from + ", " + to + ")");
    List<Entry> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(READ)) {
      s.setString(1, workspace);
      s.setLong(2, from);
      s.setLong(3, to);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) out.add(new Entry(workspace, rs.getLong(1), rs.getString(2), rs.getBytes(3)));
      }
    } catch (SQLException e) {
      throw PostgresFailures.unavailable("reading entries", e);
    }
    return out;
  }

  /** The entries at {@code seqs} in the order asked, in one statement (a page of search hits is one round trip, not twenty). */
  List<Entry> readSeqs(String workspace, long[] seqs) {
    java.util.Map<Long, Entry> found = new java.util.HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT e.seq, e.id, e.canonical FROM entries e JOIN workspace_heads h ON h.workspace = e.workspace "
            + "WHERE e.workspace = ? AND e.seq = ANY(?) AND e.seq < h.size")) {
      s.setString(1, workspace);
      Long[] boxed = new Long[seqs.length];
      for (int i = 0; i < seqs.length; i++) boxed[i] = seqs[i];
      s.setArray(2, c.createArrayOf("bigint", boxed));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) found.put(rs.getLong(1), new Entry(workspace, rs.getLong(1), rs.getString(2), rs.getBytes(3)));
      }
    } catch (SQLException e) {
      throw PostgresFailures.unavailable("reading entries", e);
    }
    List<Entry> out = new ArrayList<>(seqs.length);
    for (long seq : seqs) {
      Entry e = found.get(seq);
      if (e != null) out.add(e);
    }
    return out;
  }

  Optional<Entry> findById(String workspace, String id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT e.seq, e.canonical FROM entry_ids i JOIN entries e ON e.workspace = i.workspace AND e.seq = i.seq "
            + "WHERE i.workspace = ? AND i.id = ?")) {
      s.setString(1, workspace);
      s.setString(2, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new Entry(workspace, rs.getLong(1), id, rs.getBytes(2))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw PostgresFailures.unavailable("finding an entry", e);
    }
  }

  Set<String> workspaces() {
    Set<String> out = new TreeSet<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT workspace FROM workspace_heads WHERE size > 0");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) out.add(rs.getString(1));
    } catch (SQLException e) {
      throw PostgresFailures.unavailable("listing workspaces", e);
    }
    return out;
  }
}
