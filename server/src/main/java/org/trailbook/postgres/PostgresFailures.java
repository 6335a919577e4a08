package org.trailbook.postgres;

import java.sql.SQLException;
import org.trailbook.OverloadedException;
import org.trailbook.journal.JournalUnavailableException;

/**
 * How a database failure is told to clients: a 503 with Retry-After saying what kind of failure it was (down or
 * restarting, too slow, no connection free), never a bare SQL message or a 500. Every PostgreSQL store words its
 * failures here, so a client sees the same sentences whichever part of the store failed.
 */
final class PostgresFailures {
  private PostgresFailures() {}

  /** The 503 for a database failure of the event store, saying what kind it was. */
  static JournalUnavailableException unavailable(String doing, Exception e) {
    return new JournalUnavailableException(message(doing, e), e);
  }

  /**
   * The same for the other stores (workspaces and keys, checkpoints, sessions, exports): 503, retry after a second;
   * naming the store's URL ({@link StoreUrl#toString} never shows the password) when one is given.
   */
  static OverloadedException overloaded(StoreUrl store, String doing, SQLException e) {
    String where = store == null ? "the PostgreSQL store" : "the store " + store;
    OverloadedException o = new OverloadedException(where + " is unavailable while " + doing + ": " + kind(e) + "; retry shortly", 1);
    o.initCause(e);
    return o;
  }

  /**
   * Whether {@code e} says the database could not be reached or answered in time (as opposed to refusing the
   * statement itself): a connection failure, a shutdown, a statement timeout, or no connection free in the pool.
   */
  static boolean isUnavailable(SQLException e) {
    String state = e.getSQLState();
    return e instanceof java.sql.SQLTransientConnectionException || "57014".equals(state)
        || (state != null && (state.startsWith("08") || state.startsWith("57P")));
  }

  private static String message(String doing, Exception e) {
    return "the PostgreSQL store is unavailable while " + doing + ": " + kind(e) + "; retry shortly";
  }

  private static String kind(Exception e) {
    String state = e instanceof SQLException s ? s.getSQLState() : null;
    if ("57014".equals(state)) return "the database did not answer in time (statement timeout)";
    if (e instanceof java.sql.SQLTransientConnectionException) {
      return "no database connection could be had in time (the database is unreachable or the pool exhausted)";
    }
    if (state != null && (state.startsWith("08") || state.startsWith("57P"))) return "the database connection failed (the database is down or restarting)";
    return "the database failed (" + (state == null ? e.getClass().getSimpleName() : "SQLSTATE " + state) + ")";
  }
}
