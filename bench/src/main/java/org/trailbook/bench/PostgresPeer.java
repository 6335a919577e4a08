package org.trailbook.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.Properties;

/**
 * The peer: one PostgreSQL table of the same events with the indexes a competent team would add,
 * loaded with batched multi-row INSERTs over JDBC, tuned as BENCHMARK.md says (durable commits).
 */
final class PostgresPeer implements Closeable {
  static final int COLUMNS = 18;
  private final EmbeddedPostgres embedded;
  private final String url;
  private final Properties props = new Properties();
  /** Whether the table has R2's {@code received_at} column (set by {@link #createSchema(boolean)}). */
  private volatile boolean receivedAt;

  private PostgresPeer(EmbeddedPostgres embedded, String url, String user, String password) {
    this.embedded = embedded;
    this.url = url;
    props.setProperty("user", user);
    if (password != null) props.setProperty("password", password);
    // custom plans for every statement: the peer at its best (see BENCHMARK.md)
    props.setProperty("prepareThreshold", "0");
  }

  /** A throwaway server started from embedded binaries, or the one at {@code jdbcUrl}. */
  static PostgresPeer start(String jdbcUrl, Path workDir) throws IOException {
    if (jdbcUrl != null) return new PostgresPeer(null, jdbcUrl, System.getenv().getOrDefault("PGUSER", "postgres"), System.getenv("PGPASSWORD"));
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(workDir.toFile())
        .setDataDirectory(workDir.resolve("pgdata"))
        .setCleanDataDirectory(true)
        .setServerConfig("shared_buffers", "6GB")
        .setServerConfig("effective_cache_size", "16GB")
        .setServerConfig("work_mem", "64MB")
        .setServerConfig("maintenance_work_mem", "1GB")
        .setServerConfig("wal_compression", "on") // lz4 where the binaries have it; the embedded ones have pglz
        .setServerConfig("max_wal_size", "8GB")
        .setServerConfig("checkpoint_timeout", "15min")
        .setServerConfig("random_page_cost", "1.1")
        .setServerConfig("jit", "off")
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        // the peer's 8 loaders, and the PostgreSQL-backed Trailbook side's nodes (a pool each) when it shares this server
        .setServerConfig("max_connections", "200")
        .start();
    return new PostgresPeer(pg, pg.getJdbcUrl("postgres", "postgres"), "postgres", null);
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, props);
  }

  void createSchema() throws SQLException {
    createSchema(false);
  }

  /**
   * The table and its indexes; with {@code receivedAt} also the server's receive time of each entry
   * and an index on it, as a team that purges by age would add (R2 only: the other measures keep the
   * table they always had).
   */
  void createSchema(boolean receivedAt) throws SQLException {
    this.receivedAt = receivedAt;
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS events");
      s.execute("""
          CREATE TABLE events (
            workspace text NOT NULL, seq bigint NOT NULL, id text NOT NULL, time timestamptz NOT NULL,
            type text NOT NULL, action text NOT NULL, category text NOT NULL, status text NOT NULL,
            actor_type text, actor_id text, actor_name text, actor_email text,
            resource_type text, resource_id text, ip text, http_status int, is_write boolean NOT NULL,
            doc jsonb NOT NULL,
            tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', doc::text)) STORED,
            PRIMARY KEY (workspace, seq),
            UNIQUE (workspace, id))""");
      s.execute("CREATE INDEX events_time ON events (time DESC)");
      s.execute("CREATE INDEX events_ws_time ON events (workspace, time DESC, seq DESC)");
      s.execute("CREATE INDEX events_actor ON events (workspace, actor_id, time DESC)");
      s.execute("CREATE INDEX events_action ON events (workspace, action, time DESC)");
      s.execute("CREATE INDEX events_category ON events (workspace, category, time DESC)");
      s.execute("CREATE INDEX events_status ON events (workspace, status, time DESC)");
      s.execute("CREATE INDEX events_resource ON events (workspace, resource_type, resource_id, time DESC)");
      s.execute("CREATE INDEX events_tsv ON events USING GIN (tsv)");
      if (receivedAt) {
        s.execute("ALTER TABLE events ADD COLUMN received_at timestamptz NOT NULL");
        s.execute("CREATE INDEX events_received_at ON events (received_at)");
      }
    }
  }

  /** One multi-row INSERT in its own (durable) transaction. */
  void insert(Connection c, List<EventRow> rows) throws SQLException {
    StringBuilder sql = new StringBuilder("INSERT INTO events (workspace, seq, id, time, type, action, category, status, actor_type, actor_id, "
        + "actor_name, actor_email, resource_type, resource_id, ip, http_status, is_write, doc" + (receivedAt ? ", received_at" : "") + ") VALUES ");
    for (int i = 0; i < rows.size(); i++) {
      sql.append(i == 0 ? "" : ",").append(receivedAt ? "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?::jsonb,?)" : "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?::jsonb)");
    }
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int p = 1;
      for (EventRow r : rows) {
        ps.setString(p++, r.workspace());
        ps.setLong(p++, r.seq());
        ps.setString(p++, r.id());
        ps.setTimestamp(p++, Timestamp.from(r.time()));
        ps.setString(p++, r.type());
        ps.setString(p++, r.action());
        ps.setString(p++, r.category());
        ps.setString(p++, r.status());
        ps.setString(p++, r.actorType());
        ps.setString(p++, r.actorId());
        ps.setString(p++, r.actorName());
        ps.setString(p++, r.actorEmail());
        ps.setString(p++, r.resourceType());
        ps.setString(p++, r.resourceId());
        ps.setString(p++, r.ip());
        if (r.httpStatus() == null) ps.setNull(p++, Types.INTEGER);
        else ps.setInt(p++, r.httpStatus());
        ps.setBoolean(p++, r.write());
        ps.setString(p++, r.json());
        if (receivedAt) ps.setTimestamp(p++, Timestamp.from(r.receivedAt() != null ? r.receivedAt() : java.time.Instant.now()));
      }
      ps.executeUpdate();
    }
  }

  /**
   * A new, empty database {@code name} on this server for a Trailbook side to use as its store
   * (dropped first if a previous run left it), and its store URL for {@code serve --store}. The
   * password, if any, reaches the server processes as {@code PGPASSWORD} from this environment.
   */
  String createStore(String name) throws SQLException {
    if (!name.matches("[a-z][a-z0-9_]*")) throw new IllegalArgumentException("not a plain database name: " + name);
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + name);
    }
    URI u = URI.create(url.substring("jdbc:".length()));
    return "postgresql://" + props.getProperty("user") + "@" + u.getHost() + ":" + (u.getPort() < 0 ? 5432 : u.getPort()) + "/" + name;
  }

  /**
   * Bytes of the tables of database {@code name} with their indexes and TOAST, summed over every
   * table and partition outside the system schemas: what the store holds, without the few MB of
   * catalogs every empty database has (which would add tens of bytes per event to a small run).
   * The largest tables go to {@code log}.
   */
  long databaseBytes(String name, java.io.PrintStream log) throws SQLException {
    URI u = URI.create(url.substring("jdbc:".length()));
    String dbUrl = "jdbc:postgresql://" + u.getHost() + ":" + (u.getPort() < 0 ? 5432 : u.getPort()) + "/" + name;
    try (Connection c = DriverManager.getConnection(dbUrl, props); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("""
            SELECT c.relname, pg_total_relation_size(c.oid) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
            ORDER BY bytes DESC""")) {
      long sum = 0;
      StringBuilder top = new StringBuilder();
      for (int i = 0; rs.next(); i++) {
        sum += rs.getLong(2);
        if (i < 6) top.append(i == 0 ? "" : ", ").append(rs.getString(1)).append(' ').append(String.format("%,d", rs.getLong(2)));
      }
      log.printf("    database %s: %,d bytes in its tables (largest: %s)%n", name, sum, top);
      return sum;
    }
  }

  void analyze() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("VACUUM ANALYZE events");
    }
  }

  /** Table plus index bytes. */
  long totalBytes() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('events')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) embedded.close();
  }
}
