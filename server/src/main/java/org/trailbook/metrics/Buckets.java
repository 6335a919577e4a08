package org.trailbook.metrics;

import java.time.Duration;

/**
 * The histogram buckets, chosen per quantity rather than Micrometer's percentile histogram (about 70 buckets per
 * series): a dozen fixed bounds around what matters for each, so an alert can be written on a bucket
 * ({@code le="0.1"}) and the exposition stays small.
 */
final class Buckets {
  private Buckets() {}

  /** HTTP requests: 1 ms to 10 s (a live stream's duration lands in +Inf). */
  static final Duration[] REQUEST = millis(1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000);

  /** Ingest acknowledgements: from 0.5 ms (one fsync on a fast disk) to the 10 s group-commit deadline. */
  static final Duration[] ACK = millis(0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000);

  /** One fsync: 50 µs (write-back cache) to 1 s (a disk in trouble). */
  static final Duration[] FSYNC = millis(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000);

  /** Signing one checkpoint (tree fsync, Ed25519, checkpoint fsync): 0.5 ms to 5 s. */
  static final Duration[] SIGN = millis(0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000, 5000);

  /** Events per group commit: 1 up to the 20,000 a group holds at most. */
  static final double[] GROUP_EVENTS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000};

  private static Duration[] millis(double... ms) {
    Duration[] out = new Duration[ms.length];
    for (int i = 0; i < ms.length; i++) out[i] = Duration.ofNanos(Math.round(ms[i] * 1_000_000));
    return out;
  }
}
