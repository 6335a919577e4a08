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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.trailbook.journal.CommittedEntry;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;

/**
 * The Lucene index of every workspace's events, derived from the journal and never trusted over it.
 *
 * <p>A commit listener hands each durable group to one indexing thread through a bounded queue; when the queue is
 * full the hand-off is dropped and the thread catches up from the journal instead, so the writer never waits and
 * memory stays bounded. A second thread refreshes the near-real-time searcher every {@link Options#refreshInterval()}.
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
  private static final int READ_CHUNK = 1000;
  /** Batches at least this large are indexed on two threads. */
  private static final int PARALLEL_MIN = 64;

  /** Sorted newest first: {@code time} descending, then {@code seq} descending. */
  static final Sort INDEX_SORT = new Sort(
      LongField.newSortField(Fields.TIME, true, SortedNumericSelector.Type.MIN),
      LongField.newSortField(Fields.SEQ, true, SortedNumericSelector.Type.MIN));

  /** Tuning; {@link #defaults(Path)} suits a server. */
  public record Options(Path dir, Duration refreshInterval, Duration commitInterval, double ramBufferMb, int queueGroups,
      EventClassifier classifier) {
    public static Options defaults(Path dir) {
      return new Options(dir, Duration.ofMillis(25), Duration.ofSeconds(30), 256, 4096, EventClassifier.defaults());
    }

    public Options withClassifier(EventClassifier c) {
      return new Options(dir, refreshInterval, commitInterval, ramBufferMb, queueGroups, c);
    }

    public Options withCommitInterval(Duration d) {
      return new Options(dir, refreshInterval, d, ramBufferMb, queueGroups, classifier);
    }
  }

  private final EventStore store;
  private final Options options;
  private final DocumentBuilder documents;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final BlockingQueue<List<CommittedEntry>> queue;
  private final AtomicBoolean behind = new AtomicBoolean(true);
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
  private long lastCheck = System.nanoTime();
  private long committedChanges;
  private long lastCommit = System.nanoTime();

  private SearchIndex(EventStore store, Options options) throws IOException {
    this.store = store;
    this.options = options;
    this.documents = new DocumentBuilder(options.classifier());
    this.queue = new ArrayBlockingQueue<>(options.queueGroups());
    org.trailbook.OwnerOnly.directories(options.dir());
    this.directory = new OwnerOnlyDirectory(FSDirectory.open(options.dir()), options.dir());
    this.writer = openWriter();
    this.searchers = new SearcherManager(writer, null);
    store.addListener(this::committed);
    this.refresher = new SearchRefresher(searchers, changes, indexed, () -> queue.size() > 1 || behind.get(), options.refreshInterval());
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

  /** On the journal's writer thread: hand off, never block, never throw. */
  private void committed(List<CommittedEntry> entries) {
    if (closed) return;
    if (!queue.offer(entries)) behind.set(true);
  }

  /**
   * One turn of the indexer: catch up if behind, index one handed-off group, commit when due. What
   * it throws (an interrupt too: close() never interrupts, so one is a fault) goes to its supervisor.
   */
  private void indexStep() throws Exception {
    if (closed) return;
    try {
      if (dirty) discardPartial();
      if (behind.getAndSet(false)) catchUp();
      List<CommittedEntry> group = queue.poll(50, TimeUnit.MILLISECONDS);
      if (group != null) apply(group);
      if (System.nanoTime() - lastCheck > 1_000_000_000L) {
        lastCheck = System.nanoTime();
        behind.set(true); // a cheap safety net: sizes are compared, nothing is read unless something was missed
      }
      maybeCommit(false);
    } catch (Throwable t) {
      dirty = true; // the group in hand is lost: the retry deletes what of it was added, then reads it from the journal
      throw t;
    }
  }

  /**
   * After a failed step: deletes every document past the indexed seqs (a batch cut short by the
   * failure) and marks the index behind, so the catch-up adds them again from the journal, once.
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
    behind.set(true);
    dirty = false;
  }

  private void apply(List<CommittedEntry> group) throws IOException {
    List<Item> items = new ArrayList<>(group.size());
    Map<String, Long> next = new HashMap<>();
    for (CommittedEntry c : group) {
      long n = next.computeIfAbsent(c.workspace(), w -> indexed.getOrDefault(w, 0L));
      if (c.seq() > n) {
        // a group was dropped on the way here: index what we hold, then read the gap from the journal
        addAll(items);
        items.clear();
        catchUp(c.workspace(), c.seq(), false);
        n = indexed.getOrDefault(c.workspace(), 0L);
      }
      if (c.seq() < n) continue;
      items.add(new Item(c.workspace(), c.seq(), c.canonical()));
      next.put(c.workspace(), c.seq() + 1);
    }
    addAll(items);
    changes.incrementAndGet();
  }

  private void catchUp() throws IOException {
    long missing = 0;
    for (String ws : store.workspaces()) missing += Math.max(0, store.size(ws) - indexed.getOrDefault(ws, 0L));
    if (missing == 0) {
      live = true;
      return;
    }
    boolean loud = missing >= 10_000 || !live;
    if (loud) log.info("search index: indexing {} events from the journal", missing);
    long start = System.nanoTime();
    for (String ws : store.workspaces()) catchUp(ws, store.size(ws), loud);
    if (loud) log.info("search index: caught up with the journal ({} events in {} ms)", missing, (System.nanoTime() - start) / 1_000_000);
    live = true;
  }

  private void catchUp(String ws, long to, boolean loud) throws IOException {
    long next = indexed.getOrDefault(ws, 0L);
    long lastLog = System.nanoTime();
    while (next < to && !closed) {
      List<Entry> entries = store.read(ws, next, Math.min(to, next + READ_CHUNK));
      if (entries.isEmpty()) break;
      List<Item> items = new ArrayList<>(entries.size());
      for (Entry e : entries) items.add(new Item(ws, e.seq(), e.canonical()));
      addAll(items);
      next = indexed.getOrDefault(ws, 0L);
      changes.incrementAndGet();
      maybeCommit(false);
      health.progressed();
      if (loud && System.nanoTime() - lastLog > 5_000_000_000L) {
        lastLog = System.nanoTime();
        log.info("search index: workspace {}: {} of {} events indexed", ws, next, to);
      }
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
    queue.clear();
  }
}
