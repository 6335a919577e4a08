package org.trailbook.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortedNumericSelector;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.health.PartHealth;
import org.trailbook.health.Supervisor;
import org.trailbook.journal.FeedFollower;
import org.trailbook.journal.EventStore;

/**
 * The Lucene index of every workspace's events, derived from the journal and never trusted over it.
 *
 * <p>One indexing thread ({@link SearchIndexer}) follows the store's commit feed ({@link FeedFollower}): its position in a workspace is the
 * next seq to index, so it reads what it has not indexed yet in bounded chunks, lags and catches up without any
 * hand-off from the writer, and on any backend. A second thread refreshes the near-real-time searcher every {@link SearchOptions#refreshInterval()}.
 * The index is committed every {@link SearchOptions#commitInterval()} with the next seq of every workspace in the commit's
 * user data, so after a crash only the tail is replayed. A missing, unreadable or inconsistent index (other schema,
 * other write verbs, ahead of the journal) is rebuilt from the journal in the background while the server takes
 * writes.
 *
 * <p>The indexing and the refreshing loops run under {@link Supervisor}s ({@link #health()}, {@link
 * #refresherHealth()}): a failure is logged once per streak, readiness says the index is not ready, ingest goes on (the
 * journal is the source of truth) and searches answer from what is already visible; the loop is retried with back-off.
 * Before the indexer's retry, the documents of the batch that failed are deleted (they are past the indexed seqs) and
 * the index catches up from the journal, so nothing is indexed twice or missed. A Lucene "tragic" fault closes the
 * IndexWriter itself: every retry then fails (logged as WARN with a count) until a restart reopens the index.
 */
public final class SearchIndex implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SearchIndex.class);

  /** Sorted newest first: {@code time} descending, then {@code seq} descending. */
  static final Sort INDEX_SORT = new Sort(
      LongField.newSortField(Fields.TIME, true, SortedNumericSelector.Type.MIN),
      LongField.newSortField(Fields.SEQ, true, SortedNumericSelector.Type.MIN));

  private final EventStore store;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  /** Next seq to index per workspace; written only by the indexing thread. */
  private final Map<String, Long> indexed = new ConcurrentHashMap<>();
  private final SearchIndexer indexer;
  private final Supervisor indexing;
  private final SearchRefresher refresher;
  private volatile boolean closed;

  private SearchIndex(EventStore store, SearchOptions options) throws IOException {
    this.store = store;
    org.trailbook.OwnerOnly.directories(options.dir());
    this.directory = new OwnerOnlyDirectory(FSDirectory.open(options.dir()), options.dir());
    this.writer = IndexOpener.open(directory, options, store, indexed);
    this.searchers = new SearcherManager(writer, null);
    AtomicLong changes = new AtomicLong();
    this.indexer = new SearchIndexer(store, options, writer, indexed, changes);
    this.refresher = new SearchRefresher(searchers, changes, indexed, indexer::busy, options.refreshInterval());
    this.indexing = Supervisor.loop("search-indexer", indexer.health(), indexer::step);
  }

  /** Opens (or rebuilds) the index under {@code options.dir()} and starts catching up from {@code store}. */
  public static SearchIndex open(EventStore store, SearchOptions options) {
    try {
      return new SearchIndex(store, options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the search index in " + options.dir(), e);
    }
  }

  // ------------------------------------------------------------------ writing

  /** The indexer's health: readiness only, ingest does not depend on it. */
  public PartHealth health() {
    return indexer.health();
  }

  /** The refresher's health: readiness only. */
  public PartHealth refresherHealth() {
    return refresher.health();
  }

  /** How many entries of all workspaces' logs the searcher does not show yet. */
  public long lag() {
    long lag = 0;
    for (String ws : store.workspaces()) lag += Math.max(0, store.size(ws) - visible(ws));
    return lag;
  }

  /** True once the index has caught up with the journal since start (it then stays within a second of it). */
  public boolean live() {
    return indexer.live();
  }

  /** How many entries of {@code workspace} the current searcher shows (they are seqs 0 … n-1). */
  public long visible(String workspace) {
    return refresher.visible(workspace);
  }

  /** Waits (at most {@code timeout}) until the searcher shows the first {@code size} entries of {@code workspace}; whether it does. */
  public boolean awaitVisible(String workspace, long size, Duration timeout) {
    return refresher.awaitVisible(workspace, size, timeout);
  }

  /**
   * Read-your-writes: waits (at most {@code timeout}) until everything the workspace's log holds now is visible.
   *
   * @return how many of its entries the searcher still does not show (0 when current)
   */
  public long awaitCurrent(String workspace, Duration timeout) {
    long size = store.size(workspace);
    // a failing indexer (backing off) will not catch up soon: answer from what is visible at once (callers that must
    // wait for an index, such as exports, keep their own deadlines and loop at their own pace)
    if (indexer.health().failure() == null) awaitVisible(workspace, size, timeout);
    return Math.max(0, size - visible(workspace));
  }

  IndexSearcher acquire() throws IOException {
    return searchers.acquire();
  }

  void release(IndexSearcher s) throws IOException {
    searchers.release(s);
  }

  EventStore store() {
    return store;
  }

  /** Lucene merges running now (the large ones at a lower CPU priority: {@link BackgroundMergeScheduler}). */
  public int mergesRunning() {
    return ((BackgroundMergeScheduler) writer.getConfig().getMergeScheduler()).running();
  }

  /** Whether the deleted documents of a purge still wait for the merge that gives their space back. */
  public boolean purgeMergePending() {
    return indexer.purgeMergePending();
  }

  /** The writing side (tests reach its hooks and counts through it). */
  SearchIndexer indexer() {
    return indexer;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true; // no interrupts: an interrupt during I/O would close Lucene's file channels
    indexer.stop();
    try {
      indexing.close();
      refresher.close();
      if (!indexing.thread().isAlive() && writer.isOpen()) indexer.finish();
      indexer.close();
      searchers.close();
      writer.close();
      directory.close();
    } catch (IOException e) {
      log.warn("search index: closing failed; it will be caught up from the journal on the next start", e);
    }
  }
}
