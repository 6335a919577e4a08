package org.trailbook.bench;

/** One side's figure for a measure: a rate or size ({@code value}), or latencies (p50/p99 over runs). */
record Side(Double value, Double p50, Double p99, Integer runs, String note) {
  static Side value(double v) {
    return new Side(v, null, null, null, null);
  }

  static Side latency(double p50, double p99, int runs) {
    return new Side(null, p50, p99, runs, null);
  }

  static Side missing(String why) {
    return new Side(null, null, null, null, why);
  }

  /** The figure compared: the value, or the median. */
  Double compared() {
    return value != null ? value : p50;
  }
}
