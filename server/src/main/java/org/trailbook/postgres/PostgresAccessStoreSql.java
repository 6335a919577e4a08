package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Set;
import org.trailbook.Json;
import org.trailbook.OverloadedException;
import org.trailbook.access.Scope;

/**
 * The JDBC plumbing of {@link PostgresAccessStore}: pooled connections, transactions, and the
 * mapping of its column types. A failing database is answered as {@link OverloadedException} (503
 * with Retry-After): the request may succeed once the store is back.
 */
final class PostgresAccessStoreSql {
  /** Work on one connection. */
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final PostgresDatabase db;

  PostgresAccessStoreSql(PostgresDatabase db) {
    this.db = db;
  }

  <T> T withConnection(Work<T> work) {
    try (Connection c = db.dataSource().getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  /** Runs {@code work} in one transaction, committed if it returns, rolled back if it throws. */
  <T> T inTransaction(Work<T> work) {
    return withConnection(c -> {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    });
  }

  /** Runs one statement with its parameters; answers the rows it changed. */
  int update(String statement, Object... params) {
    return withConnection(c -> {
      try (PreparedStatement s = c.prepareStatement(statement)) {
        for (int i = 0; i < params.length; i++) s.setObject(i + 1, params[i]);
        return s.executeUpdate();
      }
    });
  }

  OverloadedException unavailable(SQLException e) {
    return PostgresFailures.overloaded(db.url(), "reading or changing workspaces and keys", e);
  }

  static OffsetDateTime time(Instant at) {
    return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
  }

  /** A timestamptz column as the API writes times: an ISO instant (the stored ones are whole milliseconds). */
  static String instant(ResultSet r, int column) throws SQLException {
    return DateTimeFormatter.ISO_INSTANT.format(r.getObject(column, OffsetDateTime.class).toInstant());
  }

  static String instantOrNull(ResultSet r, int column) throws SQLException {
    return r.getObject(column) == null ? null : instant(r, column);
  }

  /** Scopes as a jsonb array of their wire names. */
  static String scopes(Set<Scope> scopes) {
    return Json.MAPPER.writeValueAsString(scopes.stream().map(Scope::wireName).sorted().toList());
  }

  static Set<Scope> scopes(String json) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String name : Json.MAPPER.readValue(json, String[].class)) {
      Scope s = Scope.parse(name);
      if (s == null) throw new IllegalStateException("api_keys holds an unknown scope '" + name + "'");
      scopes.add(s);
    }
    return Set.copyOf(scopes);
  }
}
