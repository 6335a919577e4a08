package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.trailbook.checkpoint.CheckpointReader;
import org.trailbook.journal.JournalUnavailableException;

/**
 * The checkpoints {@link PostgresCheckpoints} stored (table {@code checkpoints}), read for {@link PostgresLogVerifier}
 * on the verifier's own connection, so in the same repeatable-read snapshot as the entries: a checkpoint a running
 * node signs meanwhile is not seen, and cannot pass for one beyond the log. Each workspace's checkpoints stream in
 * ascending tree size through their own cursor, opened when its checker asks for the first and closed at the last.
 */
final class PostgresLogVerifierCheckpoints implements PostgresLogVerifier.Checkpoints, AutoCloseable {
  private static final int FETCH = 1_000;

  private final Connection snapshot;
  private final List<PreparedStatement> open = new ArrayList<>();

  PostgresLogVerifierCheckpoints(Connection snapshot) {
    this.snapshot = snapshot;
  }

  /** The workspaces that have a stored checkpoint ({@code only} alone if not null), whether or not they have entries. */
  List<String> workspaces(String only) throws SQLException {
    try (PreparedStatement s = snapshot.prepareStatement("SELECT DISTINCT workspace FROM checkpoints" + (only == null ? "" : " WHERE workspace = ?"))) {
      if (only != null) s.setString(1, only);
      try (ResultSet rs = s.executeQuery()) {
        TreeSet<String> all = new TreeSet<>();
        while (rs.next()) all.add(rs.getString(1));
        return List.copyOf(all);
      }
    }
  }

  /** The log's verifier key recorded in the store ({@code log.verifier}, by the first node that started on it), if any. */
  static Optional<String> storedVerifierKey(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT value FROM server_secrets WHERE name = 'log.verifier'")) {
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  @Override
  public Supplier<CheckpointReader.Stored> of(String workspace) {
    return new Supplier<>() {
      private PreparedStatement statement;
      private ResultSet rows;
      private boolean done;

      @Override
      public CheckpointReader.Stored get() {
        if (done) return null;
        try {
          if (rows == null) {
            statement = snapshot.prepareStatement("SELECT tree_size, signed_note FROM checkpoints WHERE workspace = ? ORDER BY tree_size");
            open.add(statement);
            statement.setString(1, workspace);
            statement.setFetchSize(FETCH);
            rows = statement.executeQuery();
          }
          if (rows.next()) return new CheckpointReader.Stored(rows.getLong(1), rows.getString(2));
          done = true;
          statement.close(); // the last one: free the cursor now, not at the end of the whole check
          return null;
        } catch (SQLException e) {
          throw new JournalUnavailableException("cannot read the checkpoints of workspace '" + workspace + "': " + e.getMessage(), e);
        }
      }
    };
  }

  /** Closes the cursors of workspaces whose checkpoints were not read to their end (the check stopped early). */
  @Override
  public void close() throws SQLException {
    for (PreparedStatement s : open) s.close(); // closing a closed statement does nothing
  }
}
