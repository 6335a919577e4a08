package org.trailbook.server;

import static org.trailbook.server.EnvVars.intVar;
import static org.trailbook.server.EnvVars.longVar;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.trailbook.event.Limits;
import org.trailbook.export.ExportConfig;
import org.trailbook.stream.StreamConfig;
import org.trailbook.integrity.IntegrityConfig;
import org.trailbook.postgres.PostgresDatabase;
import org.trailbook.postgres.StoreUrl;
import org.trailbook.retention.RetentionConfig;

/**
 * Everything the server can be told, from the environment ({@code TRAILBOOK_*}) and then the
 * command line. Every default is usable as it is; the README's configuration table lists them.
 * {@link #store()} is the shared PostgreSQL store when one is chosen (empty: the embedded store); the
 * data directory holds this node's derived state either way.
 */
public record ServerConfig(
    Path dataDir,
    String host,
    int port,
    String adminKey,
    String serverName,
    Limits limits,
    String redactHeaders,
    String redactKeys,
    int maxPendingEvents,
    int rateLimitPerSecond,
    long maxInflightBytes,
    IntegrityConfig integrity,
    String writeVerbs,
    StreamConfig stream,
    ExportConfig exports,
    org.trailbook.http.BodyConfig bodies,
    java.time.Duration shutdownTimeout,
    long minFreeDiskBytes,
    Optional<StoreUrl> store,
    PostgresDatabase.Options storeOptions,
    Optional<String> nodeName,
    RetentionConfig retention,
    org.trailbook.archive.ArchiveConfig archive) {

  /** What a node name may hold: it goes into logs, metrics and PostgreSQL's {@code application_name}. */
  private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,62}");

  public static ServerConfig fromEnvironment(Map<String, String> env) {
    Limits d = Limits.DEFAULTS;
    Limits limits = d.withMaxBodyBytes(intVar(env, "TRAILBOOK_MAX_BODY_BYTES", d.maxBodyBytes()))
        .withMaxEvents(intVar(env, "TRAILBOOK_MAX_EVENTS_PER_REQUEST", d.maxEvents()))
        .withMaxEventBytes(intVar(env, "TRAILBOOK_MAX_EVENT_BYTES", d.maxEventBytes()))
        .withMaxDepth(intVar(env, "TRAILBOOK_MAX_DEPTH", d.maxDepth()))
        .withMaxStringChars(intVar(env, "TRAILBOOK_MAX_STRING_CHARS", d.maxStringChars()));
    StreamConfig stream = StreamConfig.fromEnvironment(env);
    org.trailbook.http.BodyConfig bodies = org.trailbook.http.BodyConfig.fromEnvironment(env);
    // a live stream is silent between heartbeats: an idle timeout that short would cut every stream
    if (bodies.idleTimeout().compareTo(stream.heartbeat()) <= 0) {
      throw new org.trailbook.TrailbookException("TRAILBOOK_IDLE_TIMEOUT_MS (" + bodies.idleTimeout().toMillis()
          + ") must be above TRAILBOOK_STREAM_HEARTBEAT_MS (" + stream.heartbeat().toMillis() + ")");
    }
    return new ServerConfig(
        Path.of(env.getOrDefault("TRAILBOOK_DATA", "data")),
        env.getOrDefault("TRAILBOOK_HOST", "0.0.0.0"),
        intVar(env, "TRAILBOOK_PORT", 8080),
        env.get("TRAILBOOK_ADMIN_KEY"),
        env.getOrDefault("TRAILBOOK_NAME", "trailbook"),
        limits,
        env.get("TRAILBOOK_REDACT_HEADERS"),
        env.get("TRAILBOOK_REDACT_KEYS"),
        intVar(env, "TRAILBOOK_MAX_PENDING_EVENTS", 200_000),
        intVar(env, "TRAILBOOK_RATE_LIMIT", 5_000),
        Math.max(limits.maxBodyBytes(), (long) intVar(env, "TRAILBOOK_MAX_INFLIGHT_BYTES", 64 << 20)),
        IntegrityConfig.fromEnvironment(env),
        env.get("TRAILBOOK_WRITE_VERBS"),
        stream,
        ExportConfig.fromEnvironment(env),
        bodies,
        java.time.Duration.ofMillis(longVar(env, "TRAILBOOK_SHUTDOWN_TIMEOUT_MS", 30_000)),
        longVar(env, "TRAILBOOK_MIN_FREE_DISK_BYTES", 1L << 30),
        storeFrom(null, env),
        storeOptionsFrom(env),
        nodeNameFrom(env),
        RetentionConfig.fromEnvironment(env),
        org.trailbook.archive.ArchiveConfig.fromEnvironment(env));
  }

  /**
   * The store chosen by {@code --store} ({@code flag}, which wins when given) or {@code
   * TRAILBOOK_STORE}: a PostgreSQL URL, or empty (missing or blank) for the embedded store in the
   * data directory. The password may come from the URL or {@code PGPASSWORD}.
   *
   * @throws IllegalArgumentException naming the rule (and never the password) when the URL is not one
   */
  public static Optional<StoreUrl> storeFrom(String flag, Map<String, String> env) {
    String text = flag != null ? flag : env.get("TRAILBOOK_STORE");
    if (text == null || text.isBlank()) return Optional.empty();
    try {
      return Optional.of(StoreUrl.parse(text, Optional.ofNullable(env.get("PGPASSWORD"))));
    } catch (IllegalArgumentException e) {
      String rule = "--store (or TRAILBOOK_STORE) must be postgresql://user[:password]@host[:port]/database,"
          + " or be left out for the embedded store in the data directory: ";
      throw new IllegalArgumentException(withoutPassword(rule + e.getMessage(), text), e);
    }
  }

  /**
   * The PostgreSQL pool and statement timeout: {@code TRAILBOOK_STORE_POOL_SIZE} (connections per node, default 16;
   * at least 2, since the commit feed keeps one for LISTEN) and {@code TRAILBOOK_STORE_STATEMENT_TIMEOUT_MS} (default
   * 10000; a statement running longer is cancelled and its request answered 503). The connect timeout stays the default.
   * Read even without a store, so a typo fails at start whichever store is chosen.
   */
  static PostgresDatabase.Options storeOptionsFrom(Map<String, String> env) {
    PostgresDatabase.Options d = PostgresDatabase.Options.defaults();
    int pool = intVar(env, "TRAILBOOK_STORE_POOL_SIZE", d.poolSize());
    if (pool < 2 || pool > 1000) {
      throw new org.trailbook.TrailbookException("TRAILBOOK_STORE_POOL_SIZE must be from 2 to 1000 connections (the commit feed keeps one), not " + pool);
    }
    long timeout = longVar(env, "TRAILBOOK_STORE_STATEMENT_TIMEOUT_MS", d.statementTimeout().toMillis());
    if (timeout < 100 || timeout > 3_600_000) {
      throw new org.trailbook.TrailbookException("TRAILBOOK_STORE_STATEMENT_TIMEOUT_MS must be from 100 to 3600000 milliseconds, not " + timeout);
    }
    return new PostgresDatabase.Options(pool, d.connectTimeout(), java.time.Duration.ofMillis(timeout));
  }

  /** The name this node gives itself in logs and metrics: {@code TRAILBOOK_NODE_NAME}, or its host name and port. */
  public String nodeLabel(int boundPort) {
    return nodeName.orElseGet(() -> hostName() + ":" + boundPort);
  }

  private static Optional<String> nodeNameFrom(Map<String, String> env) {
    String v = env.get("TRAILBOOK_NODE_NAME");
    if (v == null || v.isBlank()) return Optional.empty();
    String name = v.strip();
    if (!NODE_NAME.matcher(name).matches()) {
      throw new org.trailbook.TrailbookException("TRAILBOOK_NODE_NAME must be 1 to 63 letters, digits, '.', '_', ':' or '-'"
          + " starting with a letter or digit, not '" + name + "'");
    }
    return Optional.of(name);
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "node-" + Long.toHexString(ProcessHandle.current().pid());
    }
  }

  /**
   * {@code message} without the password of {@code url}, whatever it holds (StoreUrl's own masking
   * stops at a '/'): the password is the text between the ':' after the user and the last '@'; the
   * URL is shown with it masked, and any other occurrence of a password long enough to be told from
   * ordinary words is masked too.
   */
  static String withoutPassword(String message, String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (scheme < 0 || at < scheme) return message;
    int colon = url.indexOf(':', scheme + 3);
    if (colon < 0 || colon >= at) return message;
    String password = url.substring(colon + 1, at);
    if (password.isEmpty()) return message;
    String out = message.replace(url, url.substring(0, colon + 1) + "***" + url.substring(at));
    return password.length() >= 4 ? out.replace(password, "***") : out;
  }

  public ServerConfig withStore(Optional<StoreUrl> s) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, shutdownTimeout, minFreeDiskBytes, s, storeOptions, nodeName, retention, archive);
  }

  public ServerConfig withNodeName(Optional<String> n) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, shutdownTimeout, minFreeDiskBytes, store, storeOptions, n, retention, archive);
  }

  public ServerConfig withDataDir(Path dir) {
    return new ServerConfig(dir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, shutdownTimeout, minFreeDiskBytes, store, storeOptions, nodeName, retention, archive);
  }

  public ServerConfig withPort(int p) {
    return new ServerConfig(dataDir, host, p, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, shutdownTimeout, minFreeDiskBytes, store, storeOptions, nodeName, retention, archive);
  }

  public ServerConfig withHost(String h) {
    return new ServerConfig(dataDir, h, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, shutdownTimeout, minFreeDiskBytes, store, storeOptions, nodeName, retention, archive);
  }

  public ServerConfig withAdminKey(String key) {
    return new ServerConfig(dataDir, host, port, key, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, shutdownTimeout, minFreeDiskBytes, store, storeOptions, nodeName, retention, archive);
  }

  public ServerConfig withMaxPendingEvents(int n) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, n, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, shutdownTimeout, minFreeDiskBytes, store, storeOptions, nodeName, retention, archive);
  }

  public ServerConfig withIntegrity(IntegrityConfig i) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, i, writeVerbs, stream, exports, bodies, shutdownTimeout, minFreeDiskBytes, store, storeOptions, nodeName, retention, archive);
  }

  public ServerConfig withShutdownTimeout(java.time.Duration d) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, d, minFreeDiskBytes, store, storeOptions, nodeName, retention, archive);
  }

  public ServerConfig withMinFreeDiskBytes(long bytes) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, shutdownTimeout, bytes, store, storeOptions, nodeName, retention, archive);
  }

  public ServerConfig withStream(StreamConfig s) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, s, exports, bodies, shutdownTimeout, minFreeDiskBytes, store, storeOptions, nodeName, retention, archive);
  }

  public ServerConfig withBodies(org.trailbook.http.BodyConfig b) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, b, shutdownTimeout, minFreeDiskBytes, store, storeOptions, nodeName, retention, archive);
  }

  /** Where archives go ({@code TRAILBOOK_ARCHIVE_TARGET}, …; off when unset). */
  public ServerConfig withArchive(org.trailbook.archive.ArchiveConfig a) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, shutdownTimeout, minFreeDiskBytes, store, storeOptions, nodeName, retention, a);
  }

  public ServerConfig withExports(ExportConfig e) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, e, bodies, shutdownTimeout, minFreeDiskBytes, store, storeOptions, nodeName, retention, archive);
  }

  public ServerConfig withRetention(RetentionConfig r) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, shutdownTimeout, minFreeDiskBytes, store, storeOptions, nodeName, r, archive);
  }
}
