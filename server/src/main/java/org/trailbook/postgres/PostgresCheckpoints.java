package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.trailbook.OverloadedException;
import org.trailbook.checkpoint.CheckpointException;
import org.trailbook.checkpoint.CheckpointLog;
import org.trailbook.checkpoint.Checkpoints;

/**
 * The {@link Checkpoints} several nodes share: table {@code checkpoints} keyed (workspace,
 * tree_size), append-only (rows are inserted, never updated or deleted).
 *
 * <p>An append runs in one transaction: it takes a transaction advisory lock on the workspace,
 * reads the latest tree size, applies the file store's rules ({@link CheckpointLog#checkAppend}:
 * a size not greater than the latest is refused with the same {@link CheckpointException}), then
 * inserts with {@code ON CONFLICT (workspace, tree_size) DO NOTHING}. So two nodes racing to append
 * take turns: the first stores its checkpoint; the second then finds it as the latest and is refused
 * as the file store refuses an equal or smaller size, and the stored row is never replaced. (The
 * lock already makes a conflict impossible; DO NOTHING keeps even a writer without it from
 * replacing or duplicating a checkpoint, and 0 rows inserted is refused the same way.) A failing
 * database is answered as {@link OverloadedException} (503 with Retry-After; the signer retries).
 */
public final class PostgresCheckpoints implements Checkpoints {
  /** The advisory lock space of appends (the workspace's hash is the second key). */
  private static final int APPEND_LOCK = 0x74626370;

  private final PostgresDatabase db;

  private PostgresCheckpoints(PostgresDatabase db) {
    this.db = db;
  }

  /** The checkpoints in {@code db} (already migrated). Closing this leaves the database open: it is shared. */
  public static PostgresCheckpoints open(PostgresDatabase db) {
    return new PostgresCheckpoints(db);
  }

  /** A workspace's checkpoints: every call reads the table, so appends of other nodes show at once. */
  @Override
  public CheckpointLog log(String workspace) {
    return new Log(workspace);
  }

  @Override
  public void append(String workspace, long treeSize, String signedNote) {
    run(c -> {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
          lock.setInt(1, APPEND_LOCK);
          lock.setString(2, workspace);
          lock.execute();
        }
        long latest = latestSize(c, workspace);
        CheckpointLog.checkAppend(latest, treeSize, signedNote);
        int inserted;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO checkpoints (workspace, tree_size, signed_note) VALUES (?, ?, ?)"
            + " ON CONFLICT (workspace, tree_size) DO NOTHING")) {
          s.setString(1, workspace);
          s.setLong(2, treeSize);
          s.setString(3, signedNote);
          inserted = s.executeUpdate();
        }
        if (inserted == 0) {
          throw new CheckpointException("treeSize " + treeSize + " is not greater than the latest checkpoint's " + treeSize);
        }
        c.commit();
        return null;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    });
  }

  @Override
  public Optional<String> latest(String workspace) {
    return note("SELECT signed_note FROM checkpoints WHERE workspace = ? ORDER BY tree_size DESC LIMIT 1", workspace, null);
  }

  @Override
  public Optional<String> atSize(String workspace, long treeSize) {
    return note("SELECT signed_note FROM checkpoints WHERE workspace = ? AND tree_size = ?", workspace, treeSize);
  }

  @Override
  public List<Long> sizes(String workspace) {
    return run(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT tree_size FROM checkpoints WHERE workspace = ? ORDER BY tree_size")) {
        s.setString(1, workspace);
        try (ResultSet r = s.executeQuery()) {
          List<Long> sizes = new ArrayList<>();
          while (r.next()) sizes.add(r.getLong(1));
          return sizes;
        }
      }
    });
  }

  /** Nothing to release: the database is shared with the other stores and closed by its owner. */
  @Override
  public void close() {}

  private static long latestSize(Connection c, String workspace) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT max(tree_size) FROM checkpoints WHERE workspace = ?")) {
      s.setString(1, workspace);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        long max = r.getLong(1);
        return r.wasNull() ? -1 : max;
      }
    }
  }

  private Optional<String> note(String query, String workspace, Long treeSize) {
    return run(c -> {
      try (PreparedStatement s = c.prepareStatement(query)) {
        s.setString(1, workspace);
        if (treeSize != null) s.setLong(2, treeSize);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
        }
      }
    });
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T run(Work<T> work) {
    try (Connection c = db.dataSource().getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw PostgresFailures.overloaded(db.url(), "reading or storing checkpoints", e);
    }
  }

  /** One workspace's view; holds nothing, so closing it does nothing. */
  private final class Log implements CheckpointLog {
    private final String workspace;

    Log(String workspace) {
      this.workspace = workspace;
    }

    @Override
    public void append(long treeSize, String signedNote) {
      PostgresCheckpoints.this.append(workspace, treeSize, signedNote);
    }

    @Override
    public Optional<String> latest() {
      return PostgresCheckpoints.this.latest(workspace);
    }

    @Override
    public Optional<String> atSize(long treeSize) {
      return PostgresCheckpoints.this.atSize(workspace, treeSize);
    }

    @Override
    public List<Long> sizes() {
      return PostgresCheckpoints.this.sizes(workspace);
    }

    @Override
    public void close() {}
  }
}
