package org.trailbook.stream;

import static org.trailbook.server.EnvVars.longVar;

import java.time.Duration;
import java.util.Map;
import org.trailbook.TrailbookException;

/**
 * Tuning of the live stream ({@code GET /v1/events/stream}).
 *
 * @param heartbeat how long a stream may stay silent before a {@code : keep-alive} comment is sent (keeps proxies from
 *     closing idle connections)
 * @param bufferBytes the bound on each subscriber's outgoing buffer; a subscriber whose buffer stays full for {@code
 *     slowConsumerTimeout} is disconnected with an {@code event: resume} message
 * @param slowConsumerTimeout how long a full buffer may wait for the client to read
 * @param maxStreams open streams per node; more are refused with 503
 * @param batch how many entries a subscriber reads from the journal (or the index) at a time
 */
public record StreamConfig(Duration heartbeat, int bufferBytes, Duration slowConsumerTimeout, int maxStreams, int batch) {
  public static final StreamConfig DEFAULTS = new StreamConfig(Duration.ofSeconds(15), 128 * 1024, Duration.ofSeconds(10), 1000, 256);

  public StreamConfig {
    if (heartbeat.isNegative() || heartbeat.isZero()) throw new TrailbookException("TRAILBOOK_STREAM_HEARTBEAT_MS must be positive");
    if (bufferBytes < 1024) throw new TrailbookException("TRAILBOOK_STREAM_BUFFER_BYTES must be at least 1024");
    if (slowConsumerTimeout.isNegative()) throw new TrailbookException("TRAILBOOK_STREAM_SLOW_CONSUMER_MS must not be negative");
    if (maxStreams < 1) throw new TrailbookException("TRAILBOOK_STREAM_MAX must be at least 1");
    if (batch < 1) throw new IllegalArgumentException("batch must be at least 1");
  }

  public static StreamConfig fromEnvironment(Map<String, String> env) {
    StreamConfig d = DEFAULTS;
    return new StreamConfig(
        Duration.ofMillis(longVar(env, "TRAILBOOK_STREAM_HEARTBEAT_MS", d.heartbeat().toMillis())),
        (int) longVar(env, "TRAILBOOK_STREAM_BUFFER_BYTES", d.bufferBytes()),
        Duration.ofMillis(longVar(env, "TRAILBOOK_STREAM_SLOW_CONSUMER_MS", d.slowConsumerTimeout().toMillis())),
        (int) longVar(env, "TRAILBOOK_STREAM_MAX", d.maxStreams()),
        d.batch());
  }

  public StreamConfig withHeartbeat(Duration d) {
    return new StreamConfig(d, bufferBytes, slowConsumerTimeout, maxStreams, batch);
  }

  public StreamConfig withBuffer(int bytes, Duration slow) {
    return new StreamConfig(heartbeat, bytes, slow, maxStreams, batch);
  }

  public StreamConfig withMaxStreams(int n) {
    return new StreamConfig(heartbeat, bufferBytes, slowConsumerTimeout, n, batch);
  }

}
