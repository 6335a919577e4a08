package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.trailbook.secrets.ServerSecrets;

/**
 * The cluster's shared secrets in the {@code server_secrets} table: the first node to store one wins
 * ({@code INSERT ... ON CONFLICT DO NOTHING}), and every node reads back the stored value.
 */
public final class PostgresServerSecrets implements ServerSecrets {
  private final DataSource db;

  public PostgresServerSecrets(DataSource db) {
    this.db = db;
  }

  @Override
  public String getOrCreate(String name, Supplier<String> create) {
    try (Connection c = db.getConnection()) {
      String stored = read(c, name);
      if (stored != null) return stored;
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
        insert.setString(1, name);
        insert.setString(2, create.get());
        insert.executeUpdate();
      }
      stored = read(c, name);
      if (stored == null) throw new IllegalStateException("the secret " + name + " was stored but cannot be read back");
      return stored;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read or create the secret " + name + " in the store: " + e.getMessage(), e);
    }
  }

  private static String read(Connection c, String name) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT value FROM server_secrets WHERE name = ?")) {
      s.setString(1, name);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }
}
