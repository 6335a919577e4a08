package org.trailbook.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedNumericSelector;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.health.PartHealth;
import org.trailbook.health.Supervisor;
import org.trailbook.journal.FeedFollower;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;

/**
 * The Lucene index of every workspace's events, derived from the journal and never trusted over it.
 *
 * <p>One indexing thread follows the store's commit feed ({@link FeedFollower}): its position in a workspace is the
 * next seq to index, so it reads what it has not indexed yet in bounded chunks, lags and catches up without any
 * hand-off from the writer, and on any backend. A second thread refreshes the near-real-time searcher every {@link Options#refreshInterval()}.
 * The index is committed every {@link Options#commitInterval()} with the next seq of every workspace in the commit's
 * user data, so after a crash only the tail is replayed. A missing, unreadable or inconsistent index (other schema,
 * other write verbs, ahead of the journal) is rebuilt from the journal in the background while the server takes
 * writes.
 *
 * <p>The indexing and the refreshing loops run under {@link Supervisor}s ({@link #health()},
 * {@link #refresherHealth()}): a failure is logged once per streak, readiness says the index is not
 * ready, ingest goes on (the journal is the source of truth) and searches answer from what is
 * already visible; the loop is retried with back-off. Before the indexer's retry, the documents of
 * the batch that failed are deleted (they are past the indexed seqs) and the index catches up from
 * the journal, so nothing is indexed twice or missed. A Lucene "tragic" fault closes the IndexWriter
 * itself: every retry then fails (logged as WARN with a count) until a restart reopens the index.
 */
public final class SearchIndex implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SearchIndex.class);
  /**
   * The index schema version, recorded in every commit's user data ({@code schema}). The index is
   * derived data, so it is never migrated: an index of any other schema version (older, newer, or
   * none recorded) is deleted and rebuilt from the journal (docs/adr/0002). Bump it whenever
   * documents change shape.
   */
  static final String SCHEMA = "1";
  private static final String SEQ_PREFIX = "next:";
  /** Entries read and indexed at once; a step that handed over this many means a backlog (refreshes are spaced out). */
  private static final int READ_CHUNK = 1000;
  /** How long an idle indexer step waits for news (and how often it ticks its progress). */
  private static final Duration IDLE = Duration.ofMillis(250);
  /** Batches at least this large are indexed on two threads. */
  private static final int PARALLEL_MIN = 64;

  /** Sorted newest first: {@code time} descending, then {@code seq} descending. */
  static final Sort INDEX_SORT = new Sort(
      LongField.newSortField(Fields.TIME, true, SortedNumericSelector.Type.MIN),
      LongField.newSortField(Fields.SEQ, true, SortedNumericSelector.Type.MIN));

  /** Tuning; {@link #defaults(Path)} suits a server. */
  public record Options(Path dir, Duration refreshInterval, Duration commitInterval, double ramBufferMb, EventClassifier classifier) {
    public static Options defaults(Path dir) {
      return new Options(dir, Duration.ofMillis(25), Duration.ofSeconds(30), 256, EventClassifier.defaults());
    }

    public Options withClassifier(EventClassifier c) {
      return new Options(dir, refreshInterval, commitInterval, ramBufferMb, c);
    }

    public Options withCommitInterval(Duration d) {
      return new Options(dir, refreshInterval, d, ramBufferMb, classifier);
    }
  }

  private final EventStore store;
  private final Options options;
  private final DocumentBuilder documents;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final FeedFollower follower;
  /** Whether the last indexer step handed over a backlog (read by the refresher). */
  private volatile boolean busy = true;
  /** Next seq to index per workspace; written only by the indexing thread. */
  private final Map<String, Long> indexed = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();
  private volatile boolean live;
  private volatile boolean closed;
  private final Supervisor indexer;
  private final SearchRefresher refresher;
  private final ExecutorService helper =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("search-indexer-2").daemon().factory());
  private final PartHealth health = new PartHealth("search_indexer", "the search indexer",
      "new events are stored but not searchable until it recovers", false);
  /** A fault to inject before each document is added (tests only; null in service). */
  volatile java.util.function.ObjLongConsumer<String> fault;
  /** Set when an indexer step failed: the writer may hold documents past {@link #indexed}. Indexer thread only. */
  private boolean dirty;
  private long lastLog = System.nanoTime();
  private long committedChanges;
  private long lastCommit = System.nanoTime();

  private SearchIndex(EventStore store, Options options) throws IOException {
    this.store = store;
    this.options = options;
    this.documents = new DocumentBuilder(options.classifier());
    org.trailbook.OwnerOnly.directories(options.dir());
    this.directory = new OwnerOnlyDirectory(FSDirectory.open(options.dir()), options.dir());
    this.writer = openWriter();
    this.searchers = new SearcherManager(writer, null);
    this.follower = new FeedFollower(store, new FeedFollower.Consumer() {
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
    }, READ_CHUNK);
    this.refresher = new SearchRefresher(searchers, changes, indexed, () -> busy, options.refreshInterval());
    this.indexer = Supervisor.loop("search-indexer", health, this::indexStep);
  }

  /** Opens (or rebuilds) the index under {@code options.dir()} and starts catching up from {@code store}. */
  public static SearchIndex open(EventStore store, Options options) {
    try {
      return new SearchIndex(store, options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the search index in " + options.dir(), e);
    }
  }

  private IndexWriter openWriter() throws IOException {
    if (!DirectoryReader.indexExists(directory)) {
      log.info("search index: none in {}; building it from the journal", options.dir());
      deleteContents(options.dir());
      return new IndexWriter(directory, config().setOpenMode(IndexWriterConfig.OpenMode.CREATE));
    }
    try {
      IndexWriter w = new IndexWriter(directory, config());
      String problem = checkCommit(w);
      if (problem == null) {
        long total = indexed.values().stream().mapToLong(Long::longValue).sum();
        log.info("search index: opened with {} events; catching up with the journal", total);
        return w;
      }
      w.rollback();
      log.warn("search index: {}; rebuilding it from the journal", problem);
    } catch (IOException | RuntimeException e) {
      log.warn("search index: cannot be opened ({}); rebuilding it from the journal", e.toString());
    }
    indexed.clear();
    deleteContents(options.dir());
    IndexWriterConfig c = config().setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    return new IndexWriter(directory, c);
  }

  private IndexWriterConfig config() {
    IndexWriterConfig c = new IndexWriterConfig(TextAnalyzer.INSTANCE);
    c.setIndexSort(INDEX_SORT);
    c.setRAMBufferSizeMB(options.ramBufferMb());
    c.setCommitOnClose(false);
    return c;
  }

  /** Reads the committed next seqs into {@link #indexed}; returns why the index cannot be used, or null. */
  private String checkCommit(IndexWriter w) {
    Map<String, String> data = new HashMap<>();
    Iterable<Map.Entry<String, String>> live = w.getLiveCommitData();
    if (live != null) live.forEach(en -> data.put(en.getKey(), en.getValue()));
    if (!SCHEMA.equals(data.get("schema"))) return "the index has another schema (" + data.get("schema") + ")";
    if (!options.classifier().fingerprint().equals(data.get("write_verbs"))) return "the write verbs changed";
    for (Map.Entry<String, String> en : data.entrySet()) {
      if (!en.getKey().startsWith(SEQ_PREFIX)) continue;
      String ws = en.getKey().substring(SEQ_PREFIX.length());
      long next = Long.parseLong(en.getValue());
      if (next > store.size(ws)) return "the index is ahead of the journal for workspace " + ws;
      indexed.put(ws, next);
    }
    return null;
  }

  private static void deleteContents(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) Files.delete(p);
      }
    }
  }

  // ------------------------------------------------------------------ writing

  /**
   * One turn of the indexer: index what the feed says grew (catching up from the positions after a
   * start or a failure), commit when due, then wait briefly for news. What it throws (an interrupt
   * too: close() never interrupts, so one is a fault) goes to its supervisor.
   */
  private void indexStep() throws Exception {
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
    java.util.Set<String> all = new java.util.HashSet<>(indexed.keySet());
    all.addAll(store.workspaces());
    for (String ws : all) {
      writer.deleteDocuments(new BooleanQuery.Builder()
          .add(new TermQuery(new Term(Fields.WORKSPACE, ws)), BooleanClause.Occur.FILTER)
          .add(LongField.newRangeQuery(Fields.SEQ, indexed.getOrDefault(ws, 0L), Long.MAX_VALUE), BooleanClause.Occur.FILTER)
          .build());
    }
    changes.incrementAndGet();
    follower.rewind();
    dirty = false;
  }

  /** The follower's callback: indexes one chunk of a workspace's entries (from its indexed seq on). */
  private void index(String ws, List<Entry> entries) throws IOException {
    List<Item> items = new ArrayList<>(entries.size());
    for (Entry e : entries) items.add(new Item(ws, e.seq(), e.canonical()));
    for (Entry e : entries) { // first: a failure after it redoes the chunk (deleting again finds nothing)
      org.apache.lucene.search.Query purged = PurgedDocuments.deletion(store, e);
      if (purged != null) {
        writer.deleteDocuments(purged);
        // the purge is for the disk space: merge the segments it emptied now (in the merge threads), not some day
        writer.forceMergeDeletes(false);
      }
    }
    addAll(items);
    changes.incrementAndGet();
    maybeCommit(false);
    health.progressed();
    if (!live && System.nanoTime() - lastLog > 5_000_000_000L) {
      lastLog = System.nanoTime();
      log.info("search index: workspace {}: {} of {} events indexed", ws, indexed.getOrDefault(ws, 0L), store.size(ws));
    }
  }

  /** One entry to index. */
  private record Item(String workspace, long seq, byte[] canonical) {}

  /**
   * Indexes {@code items} (in seq order per workspace), large batches on two threads: building and
   * adding a document is most of the cost, and IndexWriter takes documents concurrently. The
   * indexed seqs move only once every document of the batch is in.
   */
  private void addAll(List<Item> items) throws IOException {
    if (items.isEmpty()) return;
    if (items.size() < PARALLEL_MIN) {
      for (Item it : items) add(it);
    } else {
      int mid = items.size() / 2;
      Future<?> other = helper.submit(() -> {
        for (Item it : items.subList(mid, items.size())) add(it);
        return null;
      });
      try {
        for (Item it : items.subList(0, mid)) add(it);
      } catch (IOException | RuntimeException | Error e) {
        awaitQuietly(other); // the other half must be done before a retry discards what was added
        throw e;
      }
      try {
        other.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while indexing", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) throw io;
        throw new IOException("indexing failed", e.getCause());
      }
    }
    for (Item it : items) indexed.merge(it.workspace(), it.seq() + 1, Math::max);
  }

  private static void awaitQuietly(Future<?> f) {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // reported through the first failure
    }
  }

  private void add(Item it) throws IOException {
    java.util.function.ObjLongConsumer<String> f = fault;
    if (f != null) f.accept(it.workspace(), it.seq());
    Document d;
    try {
      d = documents.build(it.workspace(), it.seq(), it.canonical());
    } catch (RuntimeException e) {
      log.error("search index: cannot index entry {} of workspace {}; it stays in the journal but is not searchable", it.seq(), it.workspace(), e);
      return;
    }
    writer.addDocument(d);
  }

  private void maybeCommit(boolean force) throws IOException {
    long c = changes.get();
    if (c == committedChanges) return;
    if (!force && System.nanoTime() - lastCommit < options.commitInterval().toNanos()) return;
    Map<String, String> data = new HashMap<>();
    data.put("schema", SCHEMA);
    data.put("write_verbs", options.classifier().fingerprint());
    indexed.forEach((ws, next) -> data.put(SEQ_PREFIX + ws, Long.toString(next)));
    writer.setLiveCommitData(data.entrySet());
    writer.commit();
    committedChanges = c;
    lastCommit = System.nanoTime();
  }

  // ------------------------------------------------------------------ reading

  /** The indexer's health: readiness only, ingest does not depend on it. */
  public PartHealth health() {
    return health;
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
    return live;
  }

  /** How many entries of {@code workspace} the current searcher shows (they are seqs 0 … n-1). */
  public long visible(String workspace) {
    return refresher.visible(workspace);
  }

  /**
   * Waits until the searcher shows the first {@code size} entries of {@code workspace}, at most {@code timeout}.
   *
   * @return whether it does
   */
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
    if (health.failure() == null) awaitVisible(workspace, size, timeout);
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

  @Override
  public void close() {
    if (closed) return;
    closed = true; // no interrupts: an interrupt during I/O would close Lucene's file channels
    follower.stop();
    try {
      indexer.close();
      refresher.close();
      if (!indexer.thread().isAlive() && writer.isOpen()) {
        if (dirty) discardPartial(); // never commit a batch cut short: its seqs are not recorded as indexed
        maybeCommit(true);
      }
      helper.shutdown();
      searchers.close();
      writer.close();
      directory.close();
    } catch (IOException e) {
      log.warn("search index: closing failed; it will be caught up from the journal on the next start", e);
    }
  }
}
