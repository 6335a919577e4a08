package org.trailbook.search;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.MergePolicy;
import org.trailbook.health.BackgroundPriority;

/**
 * Lucene's merges, the large ones on a thread of lower CPU priority ({@link BackgroundPriority}): merging the segments
 * of a large index (after a purge most of all) takes a core for minutes, and acknowledgements and queries must not wait
 * for it. Small merges (the many tiny segments of trickle ingest) are over in milliseconds: lowering their thread would
 * cost more than it saves. Otherwise Lucene's {@link ConcurrentMergeScheduler} as it is (its threads, its stalls, its
 * I/O throttle).
 */
final class BackgroundMergeScheduler extends ConcurrentMergeScheduler {
  /** Merges of at least this many input bytes run lowered. */
  static final long LARGE_BYTES = 32L << 20;
  private final long largeBytes;
  private final AtomicLong lowered = new AtomicLong();

  BackgroundMergeScheduler() {
    this(LARGE_BYTES);
  }

  /** With another threshold (tests). */
  BackgroundMergeScheduler(long largeBytes) {
    this.largeBytes = largeBytes;
  }

  @Override
  protected void doMerge(MergeSource mergeSource, MergePolicy.OneMerge merge) throws IOException {
    // on the merge thread, which Lucene starts for this merge
    if (merge.totalBytesSize() >= largeBytes && BackgroundPriority.lower()) lowered.incrementAndGet();
    super.doMerge(mergeSource, merge);
  }

  /** Merges that ran at the lower priority (tests). */
  long lowered() {
    return lowered.get();
  }
}
