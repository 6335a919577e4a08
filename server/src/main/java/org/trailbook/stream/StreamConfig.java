package org.trailbook.stream;

import static org.trailbook.server.EnvVars.intVar;
import static org.trailbook.server.EnvVars.longVar;

import java.time.Duration;
import java.util.Map;
import org.trailbook.TrailbookException;

/**
 * Tuning of the live stream ({@code GET /v1/events/stream}).
 *
 * @param heartbeat how long a stream may stay silent before a {@code : keep-alive} comment is sent (keeps proxies from
 *     closing idle connections, and is how a vanished client is noticed: the write fails)
 * @param bufferBytes the bound on each subscriber's outgoing buffer; a subscriber whose buffer stays full for {@code
 *     slowConsumerTimeout} is disconnected with an {@code event: resume} message
 * @param slowConsumerTimeout how long a full buffer may wait for the client to read
 * @param maxStreams open streams per node; more are refused with 503
 * @param maxPerWorkspace open streams per workspace; more are refused with 429, so one tenant cannot hold every slot
 * @param maxPerKey open streams per credential (API key, or page session); more are refused with 429
 * @param maxLifetime how long one stream may stay open; then it ends with {@code event: resume} and the client
 *     reconnects (so a stream cannot outlive, unchecked, whatever was true when it was opened)
 * @param batch how many entries a subscriber reads from the journal (or the index) at a time
 */
public record StreamConfig(Duration heartbeat, int bufferBytes, Duration slowConsumerTimeout, int maxStreams, int maxPerWorkspace, int maxPerKey,
    Duration maxLifetime, int batch) {
  public static final StreamConfig DEFAULTS =
      new StreamConfig(Duration.ofSeconds(15), 128 * 1024, Duration.ofSeconds(10), 1000, 100, 20, Duration.ofHours(1), 256);

  public StreamConfig {
    if (heartbeat.isNegative() || heartbeat.isZero()) throw new TrailbookException("TRAILBOOK_STREAM_HEARTBEAT_MS must be positive");
    if (bufferBytes < 1024) throw new TrailbookException("TRAILBOOK_STREAM_BUFFER_BYTES must be at least 1024");
    if (slowConsumerTimeout.isNegative()) throw new TrailbookException("TRAILBOOK_STREAM_SLOW_CONSUMER_MS must not be negative");
    if (maxStreams < 1) throw new TrailbookException("TRAILBOOK_STREAM_MAX must be at least 1");
    if (maxPerWorkspace < 1) throw new TrailbookException("TRAILBOOK_STREAM_MAX_PER_WORKSPACE must be at least 1");
    if (maxPerKey < 1) throw new TrailbookException("TRAILBOOK_STREAM_MAX_PER_KEY must be at least 1");
    if (maxLifetime.isNegative() || maxLifetime.isZero()) throw new TrailbookException("TRAILBOOK_STREAM_MAX_LIFETIME_MS must be positive");
    if (batch < 1) throw new IllegalArgumentException("batch must be at least 1");
  }

  public static StreamConfig fromEnvironment(Map<String, String> env) {
    StreamConfig d = DEFAULTS;
    return new StreamConfig(
        Duration.ofMillis(longVar(env, "TRAILBOOK_STREAM_HEARTBEAT_MS", d.heartbeat().toMillis())),
        intVar(env, "TRAILBOOK_STREAM_BUFFER_BYTES", d.bufferBytes()),
        Duration.ofMillis(longVar(env, "TRAILBOOK_STREAM_SLOW_CONSUMER_MS", d.slowConsumerTimeout().toMillis())),
        intVar(env, "TRAILBOOK_STREAM_MAX", d.maxStreams()),
        intVar(env, "TRAILBOOK_STREAM_MAX_PER_WORKSPACE", d.maxPerWorkspace()),
        intVar(env, "TRAILBOOK_STREAM_MAX_PER_KEY", d.maxPerKey()),
        Duration.ofMillis(longVar(env, "TRAILBOOK_STREAM_MAX_LIFETIME_MS", d.maxLifetime().toMillis())),
        d.batch());
  }

  public StreamConfig withHeartbeat(Duration d) {
    return new StreamConfig(d, bufferBytes, slowConsumerTimeout, maxStreams, maxPerWorkspace, maxPerKey, maxLifetime, batch);
  }

  public StreamConfig withBuffer(int bytes, Duration slow) {
    return new StreamConfig(heartbeat, bytes, slow, maxStreams, maxPerWorkspace, maxPerKey, maxLifetime, batch);
  }

  /** Only the node's cap (the per-workspace and per-key caps unchanged). */
  public StreamConfig withMaxStreams(int n) {
    return new StreamConfig(heartbeat, bufferBytes, slowConsumerTimeout, n, maxPerWorkspace, maxPerKey, maxLifetime, batch);
  }

  /** The three caps: per node, per workspace, per credential. */
  public StreamConfig withCaps(int node, int perWorkspace, int perKey) {
    return new StreamConfig(heartbeat, bufferBytes, slowConsumerTimeout, node, perWorkspace, perKey, maxLifetime, batch);
  }

  public StreamConfig withMaxLifetime(Duration d) {
    return new StreamConfig(heartbeat, bufferBytes, slowConsumerTimeout, maxStreams, maxPerWorkspace, maxPerKey, d, batch);
  }
}
