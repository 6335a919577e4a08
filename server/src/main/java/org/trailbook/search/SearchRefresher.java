package org.trailbook.search;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.apache.lucene.search.SearcherManager;
import org.trailbook.health.PartHealth;
import org.trailbook.health.Supervisor;

/**
 * Makes what the indexer added searchable: whenever the index changed, reopens the near-real-time
 * searcher and publishes which seqs of each workspace it shows ({@link #visible}), waking those who
 * wait for them ({@link #awaitVisible}). Runs under a {@link Supervisor} as its own part ({@link
 * #health()}): a failed refresh is retried with back-off, and searches meanwhile answer from what
 * the last good refresh showed.
 */
final class SearchRefresher implements AutoCloseable {
  /** How often a busy index (a backlog queued) is refreshed; still well within the 1 s promise. */
  private static final Duration BUSY_REFRESH = Duration.ofMillis(250);

  private final SearcherManager searchers;
  private final AtomicLong changes;
  private final Map<String, Long> indexed;
  private final BooleanSupplier busy;
  private final Duration interval;
  private final PartHealth health = new PartHealth("search_refresher", "the search refresher",
      "newly indexed events do not become searchable until it recovers", false);
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition refreshed = lock.newCondition();
  /** Next seq per workspace that the current searcher shows. */
  private volatile Map<String, Long> visible;
  private volatile boolean closed;
  /** The change count of the last refresh; refresher thread only. */
  private long seen = -1;
  private final Supervisor supervisor;

  /**
   * @param changes bumped by the indexer after each batch it added
   * @param indexed the indexer's next seq per workspace (read as a snapshot before each refresh)
   * @param busy whether a backlog is being indexed (then refreshes are spaced out)
   */
  SearchRefresher(SearcherManager searchers, AtomicLong changes, Map<String, Long> indexed, BooleanSupplier busy, Duration interval) {
    this.searchers = searchers;
    this.changes = changes;
    this.indexed = indexed;
    this.busy = busy;
    this.interval = interval;
    this.visible = Map.copyOf(indexed);
    this.supervisor = Supervisor.loop("search-refresher", health, this::step);
  }

  /** One turn: refresh if the index changed, then wait a little. Failures go to the supervisor. */
  private void step() throws Exception {
    if (closed) return;
    long c = changes.get();
    if (c != seen) {
      Map<String, Long> snapshot = Map.copyOf(indexed); // taken first: the searcher shows at least this much
      searchers.maybeRefreshBlocking();
      seen = c;
      lock.lock();
      try {
        visible = snapshot;
        refreshed.signalAll();
      } finally {
        lock.unlock();
      }
    }
    // Each refresh cuts a new segment. While a backlog is being indexed, refreshing every few
    // tens of ms would make hundreds of tiny segments to merge: refresh less often then.
    Thread.sleep(busy.getAsBoolean() ? BUSY_REFRESH : interval);
  }

  PartHealth health() {
    return health;
  }

  /** How many entries of {@code workspace} the current searcher shows (they are seqs 0 … n-1). */
  long visible(String workspace) {
    return visible.getOrDefault(workspace, 0L);
  }

  /** Waits until the searcher shows the first {@code size} entries of {@code workspace}, at most {@code timeout}. */
  boolean awaitVisible(String workspace, long size, Duration timeout) {
    if (visible(workspace) >= size) return true; // the common case: no lock, no wait
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (visible(workspace) < size) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed) return false;
        refreshed.awaitNanos(left);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Stops after the current turn; waiters give up. */
  @Override
  public void close() {
    closed = true;
    supervisor.close();
    lock.lock();
    try {
      refreshed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
