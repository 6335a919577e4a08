package org.trailbook.search;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.MergePolicy;
import org.trailbook.health.BackgroundPriority;

/**
 * Lucene's merges, each on a thread of lower CPU priority ({@link BackgroundPriority}): merging the segments of a large
 * index (after a purge most of all) takes a core for minutes, and acknowledgements and queries must not wait for it.
 * Otherwise Lucene's {@link ConcurrentMergeScheduler} as it is (its threads, its stalls, its I/O throttle).
 */
final class BackgroundMergeScheduler extends ConcurrentMergeScheduler {
  private final AtomicLong lowered = new AtomicLong();

  @Override
  protected void doMerge(MergeSource mergeSource, MergePolicy.OneMerge merge) throws IOException {
    if (BackgroundPriority.lower()) lowered.incrementAndGet(); // on the merge thread, which Lucene makes for this merge
    super.doMerge(mergeSource, merge);
  }

  /** Merges that ran at the lower priority (tests). */
  long lowered() {
    return lowered.get();
  }
}
