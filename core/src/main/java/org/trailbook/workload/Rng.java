package org.trailbook.workload;

import java.util.HexFormat;
import java.util.List;

/** A tiny SplitMix64 generator: one per event, seeded from (spec seed, event number), so any event can be made alone. */
final class Rng {
  private static final HexFormat HEX = HexFormat.of();
  private long state;

  Rng(long seed) {
    this.state = seed;
  }

  /** The generator for event {@code n} of the stream with {@code seed}. */
  static Rng forEvent(long seed, long n) {
    return new Rng(mix(seed ^ mix(n + 0x632BE59BD9B4E019L)));
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  long nextLong() {
    return mix(state += 0x9E3779B97F4A7C15L);
  }

  /** Uniform in [0, 1). */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound). */
  int nextInt(int bound) {
    return (int) ((nextLong() >>> 33) * bound >>> 31);
  }

  /** Uniform in [from, to]. */
  int between(int from, int to) {
    return from + nextInt(to - from + 1);
  }

  boolean chance(double p) {
    return nextDouble() < p;
  }

  <T> T pick(List<T> items) {
    return items.get(nextInt(items.size()));
  }

  <T> T pick(T[] items) {
    return items[nextInt(items.length)];
  }

  int pick(int[] items) {
    return items[nextInt(items.length)];
  }

  /** {@code digits} lowercase hex digits. */
  String hex(int digits) {
    StringBuilder out = new StringBuilder(digits + 16);
    while (out.length() < digits) out.append(HEX.toHexDigits(nextLong()));
    out.setLength(digits);
    return out.toString();
  }

  /** A log-normal-ish positive value with the given median: median * e^(spread * N(0,1)) via a cheap normal. */
  double skewed(double median, double spread) {
    double normal = nextDouble() + nextDouble() + nextDouble() + nextDouble() - 2.0; // Irwin-Hall, variance 1/3
    return median * Math.exp(spread * normal * 1.7320508);
  }
}
