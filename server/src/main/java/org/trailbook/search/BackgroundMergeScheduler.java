package org.trailbook.search;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.health.BackgroundPriority;

/**
 * Lucene's merges, the large ones on a thread of lower CPU priority ({@link BackgroundPriority}): merging the segments
 * of a large index (after a purge most of all) takes a core for minutes, and acknowledgements and queries must not wait
 * for it. Small merges (the many tiny segments of trickle ingest) are over in milliseconds: lowering their thread would
 * cost more than it saves. Otherwise Lucene's {@link ConcurrentMergeScheduler} as it is (its threads, its stalls, its
 * I/O throttle).
 *
 * <p>A thread inherits the priority of the thread that starts it, and Lucene starts the next merges from the thread of
 * the merge that just finished: when that one was lowered, the start is handed to a thread of normal priority, started
 * with the scheduler, so small merges never run lowered.
 */
final class BackgroundMergeScheduler extends ConcurrentMergeScheduler {
  private static final Logger log = LoggerFactory.getLogger(BackgroundMergeScheduler.class);
  /** Merges of at least this many input bytes run lowered. */
  static final long LARGE_BYTES = 32L << 20;
  private final long largeBytes;
  private final AtomicLong lowered = new AtomicLong();
  private final AtomicInteger running = new AtomicInteger();
  /** Starts merges on behalf of lowered threads; its one thread is started now, by the (normal) thread opening the index. */
  private final ThreadPoolExecutor starter = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
      Thread.ofPlatform().name("search-merge-starter").daemon(true).factory());

  BackgroundMergeScheduler() {
    this(LARGE_BYTES);
  }

  /** With another threshold (tests). */
  BackgroundMergeScheduler(long largeBytes) {
    this.largeBytes = largeBytes;
    starter.prestartCoreThread();
  }

  @Override
  public void merge(MergeSource mergeSource, MergeTrigger trigger) throws IOException {
    if (!BackgroundPriority.isLowered()) {
      super.merge(mergeSource, trigger);
      return;
    }
    starter.execute(() -> {
      try {
        super.merge(mergeSource, trigger);
      } catch (IOException | RuntimeException e) {
        log.warn("search index: starting merges failed ({}); the next flush starts them again", e.toString());
      }
    });
  }

  @Override
  protected void doMerge(MergeSource mergeSource, MergePolicy.OneMerge merge) throws IOException {
    running.incrementAndGet();
    try {
      // on the merge thread, which Lucene starts for this merge
      if (merge.totalBytesSize() >= largeBytes && BackgroundPriority.lower()) lowered.incrementAndGet();
      super.doMerge(mergeSource, merge);
    } finally {
      running.decrementAndGet();
    }
  }

  /** Merges running now (read without Lucene's locks: metrics). */
  int running() {
    return running.get();
  }

  /** Merges that ran at the lower priority (tests). */
  long lowered() {
    return lowered.get();
  }

  @Override
  public void close() throws IOException {
    starter.shutdown();
    super.close();
  }
}
