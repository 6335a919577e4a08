package org.trailbook.bench;

import java.util.Arrays;

/** Timings of repeated runs, in milliseconds, summarized as p50 and p99. */
final class Latencies {
  private double[] ms = new double[256];
  private int n;

  void add(long nanos) {
    if (n == ms.length) ms = Arrays.copyOf(ms, n * 2);
    ms[n++] = nanos / 1e6;
  }

  int runs() {
    return n;
  }

  double p(double q) {
    if (n == 0) return Double.NaN;
    double[] s = Arrays.copyOf(ms, n);
    Arrays.sort(s);
    return s[Math.min(n - 1, (int) Math.ceil(q * n) - 1)];
  }

  Side side() {
    return Side.latency(p(0.50), p(0.99), n);
  }
}
