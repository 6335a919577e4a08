package org.trailbook.server;

import static org.trailbook.server.EnvVars.intVar;
import static org.trailbook.server.EnvVars.longVar;

import java.nio.file.Path;
import java.util.Map;
import org.trailbook.event.Limits;
import org.trailbook.export.ExportConfig;
import org.trailbook.stream.StreamConfig;
import org.trailbook.integrity.IntegrityConfig;

/**
 * Everything the server can be told, from the environment ({@code TRAILBOOK_*}) and then the
 * command line. Every default is usable as it is; the README's configuration table lists them.
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
    long minFreeDiskBytes) {

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
        longVar(env, "TRAILBOOK_MIN_FREE_DISK_BYTES", 1L << 30));
  }

  public ServerConfig withDataDir(Path dir) {
    return new ServerConfig(dir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, shutdownTimeout, minFreeDiskBytes);
  }

  public ServerConfig withPort(int p) {
    return new ServerConfig(dataDir, host, p, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, shutdownTimeout, minFreeDiskBytes);
  }

  public ServerConfig withHost(String h) {
    return new ServerConfig(dataDir, h, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, shutdownTimeout, minFreeDiskBytes);
  }

  public ServerConfig withAdminKey(String key) {
    return new ServerConfig(dataDir, host, port, key, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, shutdownTimeout, minFreeDiskBytes);
  }

  public ServerConfig withMaxPendingEvents(int n) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, n, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, shutdownTimeout, minFreeDiskBytes);
  }

  public ServerConfig withIntegrity(IntegrityConfig i) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, i, writeVerbs, stream, exports, bodies, shutdownTimeout, minFreeDiskBytes);
  }

  public ServerConfig withShutdownTimeout(java.time.Duration d) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, d, minFreeDiskBytes);
  }

  public ServerConfig withMinFreeDiskBytes(long bytes) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, bodies, shutdownTimeout, bytes);
  }

  public ServerConfig withStream(StreamConfig s) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, s, exports, bodies, shutdownTimeout, minFreeDiskBytes);
  }

  public ServerConfig withBodies(org.trailbook.http.BodyConfig b) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, exports, b, shutdownTimeout, minFreeDiskBytes);
  }

  public ServerConfig withExports(ExportConfig e) {
    return new ServerConfig(dataDir, host, port, adminKey, serverName, limits, redactHeaders, redactKeys, maxPendingEvents, rateLimitPerSecond, maxInflightBytes, integrity, writeVerbs, stream, e, bodies, shutdownTimeout, minFreeDiskBytes);
  }

}
