package org.trailbook.postgres;

import java.sql.SQLException;
import org.trailbook.journal.JournalUnavailableException;

/** How a database failure is told to clients: a 503 saying what kind of failure it was, never a bare SQL message. */
final class PostgresFailures {
  private PostgresFailures() {}

  /** The 503 for a database failure, saying what kind it was. */
  static JournalUnavailableException unavailable(String doing, Exception e) {
    String state = e instanceof SQLException s ? s.getSQLState() : null;
    String kind;
    if ("57014".equals(state)) kind = "the database did not answer in time (statement timeout)";
    else if (e instanceof java.sql.SQLTransientConnectionException) kind = "no database connection could be had in time (the database is unreachable or the pool exhausted)";
    else if (state != null && (state.startsWith("08") || state.startsWith("57P"))) kind = "the database connection failed (the database is down or restarting)";
    else kind = "the database failed (" + (state == null ? e.getClass().getSimpleName() : "SQLSTATE " + state) + ")";
    return new JournalUnavailableException("the PostgreSQL store is unavailable while " + doing + ": " + kind + "; retry shortly", e);
  }
}
