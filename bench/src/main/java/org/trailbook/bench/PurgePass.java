package org.trailbook.bench;

import java.time.Instant;
import java.util.List;

/**
 * One workspace's purge pass in R2: what it removed and kept, its wall time (with the wait for the journal's compaction
 * after it, when that followed), and when its request began and was answered; {@code probed}: whether I2 ran meanwhile.
 */
record PurgePass(String workspace, long removed, long kept, double seconds, Instant start, Instant end, boolean probed) {
  /** The same pass and the wait for the journal's compaction after it (the disk space given back). */
  PurgePass plusCompaction(double wait) {
    return new PurgePass(workspace, removed, kept, seconds + wait, start, end, probed);
  }

  /** Entries removed per second of the passes run with ({@code probed}) or without I2. */
  static double rate(List<PurgePass> passes, boolean probed) {
    List<PurgePass> some = passes.stream().filter(p -> p.probed() == probed).toList();
    return some.stream().mapToLong(PurgePass::removed).sum() / some.stream().mapToDouble(PurgePass::seconds).sum();
  }
}
