package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Small JDBC helpers shared by the PostgreSQL stores: a transaction with a clear error, and per-workspace locks. */
final class Sql {
  private Sql() {}

  /** Work inside one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} in a transaction, committing on return and rolling back on any failure. */
  static <T> T inTransaction(DataSource ds, String what, Work<T> work) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        try {
          c.rollback();
        } catch (SQLException lost) {
          e.addSuppressed(lost); // the connection died (the failure itself says why): the database rolls back anyway
        }
        throw e;
      }
    } catch (SQLException e) {
      throw failed(what, e);
    }
  }

  /** Runs {@code work} on a connection of its own, without a transaction. */
  static <T> T run(DataSource ds, String what, Work<T> work) {
    try (Connection c = ds.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw failed(what, e);
    }
  }

  /**
   * Takes a transaction-scoped advisory lock on {@code (scope, workspace)}: serializes the
   * check-then-insert of a per-workspace limit across nodes without locking whole tables.
   */
  static void lockWorkspace(Connection c, String scope, String workspace) throws SQLException {
    try (var st = c.prepareStatement("select pg_advisory_xact_lock(hashtext(?), hashtext(?))")) {
      st.setString(1, scope);
      st.setString(2, workspace);
      st.execute();
    }
  }

  /**
   * The exception for a failed {@code what}: a 503 to retry when the database was unreachable, too slow or out of
   * connections (a passing condition); otherwise the statement itself failed, which is a fault (500, logged).
   */
  static RuntimeException failed(String what, SQLException e) {
    if (PostgresFailures.isUnavailable(e)) return PostgresFailures.overloaded(null, "trying to " + what, e);
    return new IllegalStateException("the store could not " + what + ": " + e.getMessage(), e);
  }
}
