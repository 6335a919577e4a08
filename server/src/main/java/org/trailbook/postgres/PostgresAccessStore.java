package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.trailbook.ConflictException;
import org.trailbook.access.AccessRules;
import org.trailbook.access.AccessStore;
import org.trailbook.access.ApiKey;
import org.trailbook.access.Credential;
import org.trailbook.access.Scope;
import org.trailbook.access.Workspace;

/**
 * The {@link AccessStore} several nodes share: tables {@code workspaces}, {@code api_keys} and
 * {@code platform_admin_key} (migration V2). Secrets are never stored, only their SHA-256.
 *
 * <p>Authentication runs on every request, so each node keeps a small cache of lookups by the
 * presented secret's SHA-256 (and of key ids, for sessions and streams) whose entries live at most
 * {@link #STALENESS}: a key revoked on another node is refused here within that bound whatever else
 * happens. A poller ({@link PostgresAccessStoreRevocations}) reads the revocations committed after
 * the last one it saw, drops them from the cache at once and tells this node's revocation
 * listeners, so every node ends a revoked key's open streams. Polling rather than LISTEN/NOTIFY: a
 * notification is lost while its connection is down, so a poll would be needed to catch up anyway,
 * and polling needs no connection pinned outside the pool; one indexed query every {@link
 * PostgresAccessStoreRevocations#INTERVAL} per node is cheap.
 */
public final class PostgresAccessStore implements AccessStore {
  /** How stale a cached lookup may be: a key revoked on another node is refused here within this. */
  public static final Duration STALENESS = Duration.ofMillis(500);
  /** Revocations take this advisory lock, so their sequence numbers commit in order (see the migration). */
  private static final long REVOCATION_LOCK = 0x7472_6c62_7265_766bL;
  private static final String KEY_COLUMNS = "workspace, key_id, name, scopes::text, secret_hash, created_at, revoked_at";

  private final PostgresAccessStoreSql sql;
  private final Clock clock;
  private final PostgresAccessStoreCache cache = new PostgresAccessStoreCache(STALENESS);
  private final PostgresAccessStoreRevocations revocations;

  private PostgresAccessStore(PostgresDatabase db, Clock clock) {
    this.sql = new PostgresAccessStoreSql(db);
    this.clock = clock;
    this.revocations = new PostgresAccessStoreRevocations(sql, cache);
  }

  /** A store on {@code db} (already migrated), with its revocation poller running; close stops it (not the database). */
  public static PostgresAccessStore open(PostgresDatabase db, Clock clock) {
    PostgresAccessStore s = new PostgresAccessStore(db, clock);
    s.revocations.start();
    return s;
  }

  @Override
  public Optional<String> initAdminKey(String configured) {
    String key = AccessRules.given(configured) ? configured : AccessRules.newAdminKey();
    // one statement: of nodes starting together exactly one inserts, the others keep its hash
    int inserted = sql.update("INSERT INTO platform_admin_key (key_hash, set_at) VALUES (?, ?) ON CONFLICT (singleton) DO NOTHING",
        AccessRules.sha256(key), PostgresAccessStoreSql.time(clock.instant()));
    cache.clear();
    return inserted == 1 && !AccessRules.given(configured) ? Optional.of(key) : Optional.empty();
  }

  @Override
  public String resetAdminKey(String configured) {
    String key = AccessRules.given(configured) ? configured.strip() : AccessRules.newAdminKey();
    sql.update("INSERT INTO platform_admin_key (key_hash, set_at) VALUES (?, ?)"
        + " ON CONFLICT (singleton) DO UPDATE SET key_hash = excluded.key_hash, set_at = excluded.set_at",
        AccessRules.sha256(key), PostgresAccessStoreSql.time(clock.instant()));
    cache.clear();
    return key;
  }

  @Override
  public Credential authenticate(String token) {
    String hash = AccessRules.tokenHash(token);
    PostgresAccessStoreCache.Lookup found = cache.byHash(hash, () -> lookUp(hash));
    if (found.admin()) return Credential.admin();
    return AccessRules.credentialOf(found.key());
  }

  private PostgresAccessStoreCache.Lookup lookUp(String hash) {
    return sql.withConnection(c -> {
      if (exists(c, "SELECT 1 FROM platform_admin_key WHERE key_hash = ?", hash)) return new PostgresAccessStoreCache.Lookup(true, null);
      return new PostgresAccessStoreCache.Lookup(false, keyWhere(c, "secret_hash = ?", false, hash).orElse(null));
    });
  }

  @Override
  public Workspace createWorkspace(String id, String name) {
    AccessRules.checkWorkspace(id, name);
    Workspace w = new Workspace(id, name == null ? id : name, AccessRules.now(clock));
    int inserted = sql.update("INSERT INTO workspaces (workspace, name, created_at) VALUES (?, ?, ?) ON CONFLICT (workspace) DO NOTHING",
        w.id(), w.name(), PostgresAccessStoreSql.time(Instant.parse(w.createdAt())));
    if (inserted == 0) throw new ConflictException("workspace '" + id + "' already exists");
    return w;
  }

  @Override
  public List<Workspace> workspaces() {
    return sql.withConnection(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT workspace, name, created_at FROM workspaces ORDER BY position");
          ResultSet r = s.executeQuery()) {
        List<Workspace> all = new ArrayList<>();
        while (r.next()) all.add(workspace(r));
        return all;
      }
    });
  }

  @Override
  public Optional<Workspace> workspace(String id) {
    return sql.withConnection(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT workspace, name, created_at FROM workspaces WHERE workspace = ?")) {
        s.setString(1, id);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(workspace(r)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public CreatedKey createKey(String workspace, String name, List<String> scopeNames, String secret) {
    requireWorkspace(workspace);
    Set<Scope> scopes = AccessRules.checkKey(name, scopeNames);
    ApiKey k = new ApiKey(AccessRules.newKeyId(), workspace, name, scopes, AccessRules.sha256(secret), AccessRules.now(clock), null);
    sql.update("INSERT INTO api_keys (workspace, key_id, name, scopes, secret_hash, created_at) VALUES (?, ?, ?, ?::jsonb, ?, ?)",
        k.workspace(), k.id(), k.name(), PostgresAccessStoreSql.scopes(scopes), k.secretHash(), PostgresAccessStoreSql.time(Instant.parse(k.createdAt())));
    return new CreatedKey(k, secret);
  }

  /** What a revocation found: the key as it is now, and whether this call revoked it. */
  private record Revocation(ApiKey key, boolean revokedNow) {}

  @Override
  public ApiKey revokeKey(String workspace, String keyId) {
    Revocation done;
    try {
      done = revokeInTransaction(workspace, keyId);
    } catch (RuntimeException e) {
      revocations.notRevokedHere(keyId); // rolled back: if another node revokes it later, this node's poller must tell
      throw e;
    }
    ApiKey revoked = done.key();
    if (!done.revokedNow()) return revoked;
    cache.forget(revoked.secretHash(), revoked.id());
    revocations.tell(revoked);
    return revoked;
  }

  private Revocation revokeInTransaction(String workspace, String keyId) {
    return sql.inTransaction(c -> {
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        lock.setLong(1, REVOCATION_LOCK);
        lock.execute();
      }
      Optional<ApiKey> k = keyWhere(c, "workspace = ? AND key_id = ?", true, workspace, keyId);
      if (k.isEmpty()) {
        if (!exists(c, "SELECT 1 FROM workspaces WHERE workspace = ?", workspace)) throw AccessRules.noWorkspace(workspace);
        throw AccessRules.noKey(workspace, keyId);
      }
      if (k.get().revoked()) return new Revocation(k.get(), false);
      String at = AccessRules.now(clock);
      // told before the commit, so this node's poller, seeing the row, does not tell the listeners twice
      revocations.revokedHere(keyId);
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE api_keys SET revoked_at = ?, revocation_seq = nextval('api_key_revocations') WHERE workspace = ? AND key_id = ?")) {
        s.setObject(1, PostgresAccessStoreSql.time(Instant.parse(at)));
        s.setString(2, workspace);
        s.setString(3, keyId);
        s.executeUpdate();
      }
      ApiKey was = k.get();
      return new Revocation(new ApiKey(was.id(), was.workspace(), was.name(), was.scopes(), was.secretHash(), was.createdAt(), at), true);
    });
  }

  @Override
  public void addRevocationListener(Consumer<ApiKey> listener) {
    revocations.addListener(listener);
  }

  @Override
  public boolean isActive(String keyId) {
    return cache.active(keyId, () -> sql.withConnection(c -> "admin".equals(keyId)
        ? exists(c, "SELECT 1 FROM platform_admin_key")
        : exists(c, "SELECT 1 FROM api_keys WHERE key_id = ? AND revoked_at IS NULL", keyId)));
  }

  @Override
  public Optional<ApiKey> keyBySecret(String secret) {
    return sql.withConnection(c -> keyWhere(c, "secret_hash = ?", false, AccessRules.sha256(secret)));
  }

  @Override
  public List<ApiKey> keys(String workspace) {
    return sql.withConnection(c -> {
      if (!exists(c, "SELECT 1 FROM workspaces WHERE workspace = ?", workspace)) throw AccessRules.noWorkspace(workspace);
      try (PreparedStatement s = c.prepareStatement("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE workspace = ? ORDER BY position")) {
        s.setString(1, workspace);
        try (ResultSet r = s.executeQuery()) {
          List<ApiKey> all = new ArrayList<>();
          while (r.next()) all.add(key(r));
          return all;
        }
      }
    });
  }

  /** Stops the revocation poller; the database stays open (it is shared with the other stores). */
  @Override
  public void close() {
    revocations.close();
  }

  private void requireWorkspace(String workspace) {
    if (!sql.withConnection(c -> exists(c, "SELECT 1 FROM workspaces WHERE workspace = ?", workspace))) {
      throw AccessRules.noWorkspace(workspace);
    }
  }

  private static boolean exists(Connection c, String query, String... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(query)) {
      for (int i = 0; i < params.length; i++) s.setString(i + 1, params[i]);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  /** The newest key matching {@code where} (a secret reused by a later key finds that one, as in the file store). */
  private static Optional<ApiKey> keyWhere(Connection c, String where, boolean forUpdate, String... params) throws SQLException {
    String query = "SELECT " + KEY_COLUMNS + " FROM api_keys WHERE " + where + " ORDER BY position DESC LIMIT 1" + (forUpdate ? " FOR UPDATE" : "");
    try (PreparedStatement s = c.prepareStatement(query)) {
      for (int i = 0; i < params.length; i++) s.setString(i + 1, params[i]);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(key(r)) : Optional.empty();
      }
    }
  }

  static ApiKey key(ResultSet r) throws SQLException {
    return new ApiKey(r.getString(2), r.getString(1), r.getString(3), PostgresAccessStoreSql.scopes(r.getString(4)), r.getString(5),
        PostgresAccessStoreSql.instant(r, 6), PostgresAccessStoreSql.instantOrNull(r, 7));
  }

  private static Workspace workspace(ResultSet r) throws SQLException {
    return new Workspace(r.getString(1), r.getString(2), PostgresAccessStoreSql.instant(r, 3));
  }
}
