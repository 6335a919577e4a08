package org.trailbook.search;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.health.PartHealth;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;
import org.trailbook.journal.FeedFollower;

/**
 * The {@link SearchIndex}'s writing side, one step at a time on the indexer thread: follows the store's commit feed
 * ({@link FeedFollower}; its position in a workspace is the next seq to index), adds the documents, deletes those of
 * purged entries when it meets a purge's record ({@link PurgedDocuments}) and later merges them away, and commits with
 * the next seqs in the commit's user data ({@link IndexOpener#commitData}). After a failed step it deletes what of the
 * failed chunk was added and reads it again, so nothing is indexed twice or missed.
 */
final class SearchIndexer implements FeedFollower.Consumer {
  private static final Logger log = LoggerFactory.getLogger(SearchIndexer.class);
  /** Entries read and indexed at once; a step that handed over this many means a backlog (refreshes are spaced out). */
  private static final int READ_CHUNK = 1000;
  /** How long an idle indexer step waits for news (and how often it ticks its progress). */
  private static final java.time.Duration IDLE = java.time.Duration.ofMillis(250);

  private final EventStore store;
  private final SearchOptions options;
  private final IndexWriter writer;
  /** Next seq to index per workspace; written only by the indexing thread. */
  private final Map<String, Long> indexed;
  /** Counts changes to the index (read by the refresher). */
  private final AtomicLong changes;
  private final FeedFollower follower;
  private final DocumentAdder adder;
  private final PartHealth health = new PartHealth("search_indexer", "the search indexer",
      "new events are stored but not searchable until it recovers", false);
  /** Whether the last step handed over a backlog (read by the refresher). */
  private volatile boolean busy = true;
  private volatile boolean live;
  private volatile boolean closed;
  /** Set when a step failed: the writer may hold documents past {@link #indexed}. Indexer thread only. */
  private boolean dirty;
  private long lastLog = System.nanoTime();
  private long committedChanges;
  private long lastCommit = System.nanoTime();
  /** When to merge away the documents purges deleted ({@link #maybeMergeDeletes}); 0 for no purge pending. Written by the indexer thread. */
  private volatile long mergeDeletesAt;
  /** Whether a merge of purged documents is running or waits for its commit ({@link #maybeMergeDeletes}). */
  private volatile boolean mergingDeletes;
  /** Set by the merge's thread once the merge is done: the indexer then commits ({@link #finishMergeDeletes}). */
  private volatile boolean mergedDeletes;
  /** Merges of deleted documents done so far (guarded by this: tests wait for them). */
  private long deletesMerges;

  SearchIndexer(EventStore store, SearchOptions options, IndexWriter writer, Map<String, Long> indexed, AtomicLong changes) {
    this.store = store;
    this.options = options;
    this.writer = writer;
    this.indexed = indexed;
    this.changes = changes;
    this.adder = new DocumentAdder(writer, new DocumentBuilder(options.classifier()));
    this.follower = new FeedFollower(store, this, READ_CHUNK);
  }

  @Override
  public long position(String workspace) {
    return indexed.getOrDefault(workspace, 0L);
  }

  @Override
  public void accept(String workspace, List<Entry> entries) throws IOException {
    index(workspace, entries);
  }

  @Override
  public void purged(String workspace, long from, long to) {
    indexed.merge(workspace, to, Math::max); // nothing to index: those entries are gone
    changes.incrementAndGet();
  }

  /**
   * One turn of the indexer: index what the feed says grew (catching up from the positions after a start or a failure),
   * commit when due, then wait briefly for news. What it throws (an interrupt too: close() never interrupts, so one is a
   * fault) goes to its supervisor.
   */
  void step() throws Exception {
    if (closed) return;
    try {
      if (dirty) discardPartial();
      long missing = live ? 0 : missing();
      if (missing > 0) log.info("search index: indexing {} events from the journal", missing);
      long start = System.nanoTime();
      long delivered = follower.deliver();
      busy = delivered >= READ_CHUNK;
      if (!live) {
        if (missing > 0) log.info("search index: caught up with the journal ({} events in {} ms)", delivered, (System.nanoTime() - start) / 1_000_000);
        live = !closed;
      }
      maybeCommit(false);
      finishMergeDeletes();
      maybeMergeDeletes();
      health.progressed();
      follower.await(IDLE); // returns at once when more was committed meanwhile
    } catch (Throwable t) {
      dirty = true; // the chunk in hand is lost: the retry deletes what of it was added, then reads it again
      throw t;
    }
  }

  private long missing() {
    long missing = 0;
    for (String ws : store.workspaces()) missing += Math.max(0, store.size(ws) - indexed.getOrDefault(ws, 0L));
    return missing;
  }

  /**
   * After a failed step: deletes every document past the indexed seqs (a batch cut short by the
   * failure) and rewinds the follower, so the next step adds them again from the journal, once.
   */
  private void discardPartial() throws IOException {
    Set<String> all = new HashSet<>(indexed.keySet());
    all.addAll(store.workspaces());
    for (String ws : all) {
      writer.deleteDocuments(SeqRange.of(ws, indexed.getOrDefault(ws, 0L), Long.MAX_VALUE).build());
    }
    changes.incrementAndGet();
    follower.rewind();
    dirty = false;
  }

  /** The follower's callback: indexes one chunk of a workspace's entries (from its indexed seq on). */
  private void index(String ws, List<Entry> entries) throws IOException {
    for (Entry e : entries) { // first: a failure after it redoes the chunk (deleting again finds nothing)
      Query purged = PurgedDocuments.deletion(store, e);
      if (purged != null) {
        writer.deleteDocuments(purged);
        mergeDeletesAt = System.nanoTime() + options.mergeDeletesDelay().toNanos();
      }
    }
    if (entries.isEmpty()) return;
    adder.addAll(entries);
    indexed.merge(ws, entries.getLast().seq() + 1, Math::max); // once every document is in (entries are in seq order)
    changes.incrementAndGet();
    maybeCommit(false);
    health.progressed();
    if (!live && System.nanoTime() - lastLog > 5_000_000_000L) {
      lastLog = System.nanoTime();
      log.info("search index: workspace {}: {} of {} events indexed", ws, indexed.getOrDefault(ws, 0L), store.size(ws));
    }
  }

  /**
   * The purge is for the disk space: once no purge was indexed for {@link SearchOptions#mergeDeletesDelay()}, has the merge threads
   * rewrite the segments it left with many deleted documents, rather than leave them to some later merge. Waiting
   * lets a pass over many workspaces (one purge each) rewrite each segment once, not once per workspace.
   */
  private void maybeMergeDeletes() {
    // one merge at a time: a purge indexed meanwhile leaves its time set, and its merge follows this one
    if (closed || mergingDeletes || mergeDeletesAt == 0 || System.nanoTime() - mergeDeletesAt < 0) return;
    mergingDeletes = true; // before the pending time goes: the metrics never say "nothing to come" in between
    mergeDeletesAt = 0;
    // the merges run on Lucene's merge threads; this one waits for them, so the indexer goes on meanwhile
    Thread.ofPlatform().name("search-purge-merge").daemon(true).start(() -> {
      try {
        writer.forceMergeDeletes(true);
        changes.incrementAndGet(); // first: the indexer's commit below must see a change to commit
        mergedDeletes = true;
      } catch (IOException | RuntimeException e) {
        if (!closed) log.warn("search index: merging the purged documents away failed ({}); Lucene's own merges reclaim them later", e.toString());
        mergingDeletes = false;
      }
    });
  }

  /**
   * After the merge: commits at once, so Lucene deletes the merged-away segments' files (the last commit and the
   * searcher, which the refresher renews on the change the merge made, were what still held them); only then is the
   * merge done.
   */
  private void finishMergeDeletes() throws IOException {
    if (!mergedDeletes) return;
    mergedDeletes = false;
    maybeCommit(true);
    mergingDeletes = false;
    synchronized (this) {
      deletesMerges++;
      notifyAll();
    }
  }

  private void maybeCommit(boolean force) throws IOException {
    long c = changes.get();
    if (c == committedChanges) return;
    if (!force && System.nanoTime() - lastCommit < options.commitInterval().toNanos()) return;
    writer.setLiveCommitData(IndexOpener.commitData(options, indexed).entrySet());
    writer.commit();
    committedChanges = c;
    lastCommit = System.nanoTime();
  }

  PartHealth health() {
    return health;
  }

  boolean busy() {
    return busy;
  }

  /** True once the index has caught up with the journal since start. */
  boolean live() {
    return live;
  }

  /** Whether the deleted documents of a purge wait for their merge ({@link SearchOptions#mergeDeletesDelay()}). */
  boolean purgeMergePending() {
    return mergeDeletesAt != 0 || mergingDeletes;
  }

  synchronized long deletesMerges() {
    return deletesMerges;
  }

  /** Waits (at most {@code timeout}) until {@code count} merges of deleted documents are done; whether they are. */
  synchronized boolean awaitDeletesMerges(long count, java.time.Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (deletesMerges < count) {
      long left = end - System.nanoTime();
      if (left <= 0) return false;
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  DocumentAdder adder() {
    return adder;
  }

  /** Ends the steps: the one in progress returns soon, later ones do nothing. */
  void stop() {
    closed = true;
    follower.stop();
  }

  /** After the last step: commits what is complete (never a batch cut short: its seqs are not recorded as indexed). */
  void finish() throws IOException {
    if (dirty) discardPartial();
    maybeCommit(true);
  }

  void close() {
    adder.close();
  }
}
