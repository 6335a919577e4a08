package org.trailbook.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.trailbook.ConflictException;
import org.trailbook.Json;
import org.trailbook.archive.RestoredViews;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Restored views in {@code restored_views} and {@code restored_entries} (V8), shared by every node: a view restored
 * through one node is listed, searched and dropped through any other. A draft is one transaction on a connection of its
 * own — the earlier view of the archive deleted, the entries inserted in batches as the archive is verified, the view's
 * row last — so a failed verification or a crash leaves the earlier view (or none) as it was, and readers see the old
 * view until the commit. A transaction-scoped advisory lock on (workspace, archive) keeps two nodes from writing or
 * dropping one view at once: the second is answered 409 rather than made to wait behind a long restore.
 */
public final class PostgresRestoredViews implements RestoredViews {
  private static final int BATCH = 500;
  private final PostgresDatabase db;

  public PostgresRestoredViews(PostgresDatabase db) {
    this.db = db;
  }

  @Override
  public Draft begin(String workspace, String archive) {
    Connection c = null;
    try {
      c = db.dataSource().getConnection();
      c.setAutoCommit(false);
      lockOrConflict(c, workspace, archive);
      delete(c, workspace, archive);
      return new PgDraft(c, workspace, archive);
    } catch (SQLException | RuntimeException e) {
      if (c != null) closeQuietly(c, e);
      if (e instanceof SQLException s) throw Sql.failed("begin a restored view", s);
      throw (RuntimeException) e;
    }
  }

  private final class PgDraft implements Draft {
    private final Connection c;
    private final String workspace;
    private final String archive;
    private final PreparedStatement insert;
    private int pending;

    PgDraft(Connection c, String workspace, String archive) throws SQLException {
      this.c = c;
      this.workspace = workspace;
      this.archive = archive;
      this.insert = c.prepareStatement("insert into restored_entries (workspace, archive, seq, action, actor_id, canonical) values (?, ?, ?, ?, ?, ?)");
    }

    @Override
    public void add(long seq, byte[] canonical) {
      JsonNode entry = Json.MAPPER.readTree(canonical);
      try {
        insert.setString(1, workspace);
        insert.setString(2, archive);
        insert.setLong(3, seq);
        insert.setString(4, Query.actionOf(entry));
        insert.setString(5, Query.actorOf(entry));
        insert.setBytes(6, canonical);
        insert.addBatch();
        if (++pending == BATCH) flush();
      } catch (SQLException e) {
        throw Sql.failed("store a restored view's entries", e);
      }
    }

    private void flush() throws SQLException {
      if (pending > 0) insert.executeBatch();
      pending = 0;
    }

    @Override
    public void commit(View v) {
      try {
        flush();
        try (var st = c.prepareStatement("insert into restored_views (workspace, archive, location, from_seq, to_seq, count, tree_size, restored_at) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?)")) {
          st.setString(1, workspace);
          st.setString(2, archive);
          st.setString(3, v.location());
          st.setLong(4, v.fromSeq());
          st.setLong(5, v.toSeq());
          st.setLong(6, v.count());
          st.setLong(7, v.treeSize());
          st.setString(8, v.restoredAt());
          st.executeUpdate();
        }
        c.commit();
      } catch (SQLException e) {
        throw Sql.failed("store a restored view", e);
      }
    }

    /** Rolls back whatever was not committed (nothing if commit ran) and gives the connection back. */
    @Override
    public void close() {
      try (c; insert) {
        c.rollback();
      } catch (SQLException lost) {
        // the connection died: the database rolls the transaction back itself
      }
    }
  }

  @Override
  public boolean drop(String workspace, String archive) {
    return Sql.inTransaction(db.dataSource(), "drop a restored view", c -> {
      lockOrConflict(c, workspace, archive);
      return delete(c, workspace, archive);
    });
  }

  @Override
  public List<View> views(String workspace) {
    return Sql.run(db.dataSource(), "list restored views", c -> {
      try (var st = c.prepareStatement("select archive, location, from_seq, to_seq, count, tree_size, restored_at from restored_views "
          + "where workspace = ? order by archive")) {
        st.setString(1, workspace);
        List<View> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            out.add(new View(workspace, rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getString(7)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public Page find(String workspace, Query q) {
    return Sql.run(db.dataSource(), "search restored views", c -> {
      try (var st = c.prepareStatement(pageSql(q))) {
        int i = 0;
        st.setString(++i, workspace);
        st.setLong(++i, q.afterSeq());
        if (q.action() != null) st.setString(++i, q.action());
        if (q.actor() != null) st.setString(++i, q.actor());
        if (q.text() != null) st.setString(++i, q.text().toLowerCase(Locale.ROOT));
        st.setInt(++i, q.limit() + 1); // one more than asked: whether there is a next page
        List<ObjectNode> found = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            if (found.size() == q.limit()) return new Page(found, found.getLast().get("seq").asLong());
            found.add(RestoredViews.marked(rs.getLong(2), rs.getString(1), new String(rs.getBytes(3), StandardCharsets.UTF_8)));
          }
        }
        return new Page(found, -1);
      }
    });
  }

  /**
   * The page query: entries after a seq in seq order, filtered, read along the index of the filter given (each index
   * ends in seq) and stopping at the limit. The text filter compares lower-cased text, as PostgreSQL's {@code lower}
   * folds it under the database's locale.
   */
  static String pageSql(Query q) {
    StringBuilder sql = new StringBuilder("select archive, seq, canonical from restored_entries where workspace = ? and seq > ?");
    if (q.action() != null) sql.append(" and action = ?");
    if (q.actor() != null) sql.append(" and actor_id = ?");
    if (q.text() != null) sql.append(" and strpos(lower(convert_from(canonical, 'UTF8')), lower(?)) > 0");
    return sql.append(" order by seq, archive limit ?").toString();
  }

  private static void lockOrConflict(Connection c, String workspace, String archive) throws SQLException {
    try (var st = c.prepareStatement("select pg_try_advisory_xact_lock(hashtext('restored_views'), hashtext(? || '/' || ?))")) {
      st.setString(1, workspace);
      st.setString(2, archive);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          throw new ConflictException("the restored view of " + archive + " in workspace '" + workspace + "' is being restored or dropped right now: try again once that is done");
        }
      }
    }
  }

  /** Deletes the view and its entries; whether there was a view. */
  private static boolean delete(Connection c, String workspace, String archive) throws SQLException {
    try (var entries = c.prepareStatement("delete from restored_entries where workspace = ? and archive = ?");
        var view = c.prepareStatement("delete from restored_views where workspace = ? and archive = ?")) {
      entries.setString(1, workspace);
      entries.setString(2, archive);
      entries.executeUpdate();
      view.setString(1, workspace);
      view.setString(2, archive);
      return view.executeUpdate() > 0;
    }
  }

  private static void closeQuietly(Connection c, Exception failure) {
    try (c) {
      c.rollback();
    } catch (SQLException lost) {
      failure.addSuppressed(lost);
    }
  }
}
