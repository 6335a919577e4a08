package org.trailbook.workload;

/** A Zipf distribution over ranks 0..n-1: P(k) proportional to 1/(k+1)^exponent, sampled by binary search. */
final class Zipf {
  private final double[] cumulative;

  Zipf(int n, double exponent) {
    if (n < 1) throw new IllegalArgumentException("a Zipf distribution needs at least one rank");
    cumulative = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) cumulative[k] = sum += Math.pow(k + 1, -exponent);
    for (int k = 0; k < n; k++) cumulative[k] /= sum;
    cumulative[n - 1] = 1.0;
  }

  int size() {
    return cumulative.length;
  }

  /** The probability of rank {@code k}. */
  double share(int k) {
    return k == 0 ? cumulative[0] : cumulative[k] - cumulative[k - 1];
  }

  int sample(Rng rng) {
    double u = rng.nextDouble();
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
