package org.trailbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.trailbook.OverloadedException;

/** The words and the status of a database failure: a passing condition is a 503 saying which, a refused statement stays a fault. */
class PostgresFailuresTest {
  @Test
  void aPassingConditionIsA503SayingWhichAndNamingNoSql() {
    assertThat(Sql.failed("read a page session", new SQLException("canceling statement due to statement timeout", "57014")))
        .isInstanceOf(OverloadedException.class).hasMessageContaining("statement timeout").hasMessageContaining("retry shortly")
        .hasMessageNotContaining("canceling");
    assertThat(Sql.failed("read a page session", new SQLException("terminating connection due to administrator command", "57P01")))
        .isInstanceOf(OverloadedException.class).hasMessageContaining("the database is down or restarting");
    assertThat(Sql.failed("read a page session", new SQLException("Connection refused", "08001")))
        .isInstanceOf(OverloadedException.class).hasMessageContaining("the database is down or restarting");
    assertThat(Sql.failed("read a page session", new SQLTransientConnectionException("trailbook-pg - Connection is not available")))
        .isInstanceOf(OverloadedException.class).hasMessageContaining("the pool exhausted");
    assertThat(PostgresFailures.unavailable("storing the events", new SQLException("x", "57014")))
        .hasMessage("the PostgreSQL store is unavailable while storing the events: the database did not answer in time (statement timeout); retry shortly");
  }

  @Test
  void aRefusedStatementIsStillAFault() {
    assertThat(Sql.failed("open a page session", new SQLException("duplicate key value", "23505")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("could not open a page session");
    assertThat(PostgresFailures.isUnavailable(new SQLException("syntax", "42601"))).isFalse();
  }
}
