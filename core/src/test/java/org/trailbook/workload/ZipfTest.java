package org.trailbook.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ZipfTest {
  @Test
  void sharesAddUpToOneAndFall() {
    Zipf zipf = new Zipf(20, 1.15);
    double sum = 0;
    for (int k = 0; k < 20; k++) {
      sum += zipf.share(k);
      if (k > 0) assertThat(zipf.share(k)).isLessThan(zipf.share(k - 1));
    }
    assertThat(sum).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void shareFollowsThePowerLaw() {
    Zipf zipf = new Zipf(100, 1.0);
    assertThat(zipf.share(0) / zipf.share(9)).isCloseTo(10.0, within(1e-9));
  }

  @Test
  void samplesMatchTheShares() {
    Zipf zipf = new Zipf(5, 1.0);
    Rng rng = new Rng(1);
    int[] counts = new int[5];
    for (int i = 0; i < 100_000; i++) counts[zipf.sample(rng)]++;
    for (int k = 0; k < 5; k++) assertThat(counts[k] / 100_000.0).isCloseTo(zipf.share(k), within(0.01));
  }

  @Test
  void aSingleRankIsAlwaysChosen() {
    Zipf zipf = new Zipf(1, 1.15);
    assertThat(zipf.share(0)).isEqualTo(1.0);
    assertThat(zipf.sample(new Rng(4))).isZero();
  }
}
