package org.trailbook.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.trailbook.health.BackgroundPace;
import org.trailbook.health.PartHealth;
import org.trailbook.health.WriteActivity;
import org.trailbook.merkle.TreeHasher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded journal: every workspace's log in one shared, segmented write-ahead file set
 * ({@code segment-NNNNNNNNNN.wal}, format in {@link JournalFormat}), written by one thread that
 * group-commits ({@link GroupCommitWriter}): it drains every pending batch, assigns seqs and
 * prev_hashes, writes them as one group, fsyncs once and only then completes the waiting requests.
 *
 * <p>Readers locate entries through per-workspace in-memory positions rebuilt at open by {@link
 * JournalRecovery}, which reads the segments through {@link JournalReader} (the scanner {@code
 * trailbook verify} uses): a torn tail left by a crash (a group that never became durable, so was
 * never acknowledged) is cut and kept in a side file, while damage anywhere before it stops the open
 * with {@link JournalCorruptedException}.
 *
 * <p>Purge (retention, docs/adr/0004) runs on the caller's thread beside the writer: {@link
 * JournalPurger} commits it ({@link PurgedLeaves}, then {@link PurgeManifest}) and swaps the purge
 * state every read consults; the {@link JournalCompactor}'s thread rewrites sealed segments without
 * the purged frames ({@link SegmentCompactor}); {@link SegmentFiles} keeps reads correct while frames
 * move.
 *
 * <p>If the writer fails it reports to {@link #health()} and appends fail at once with {@link
 * JournalUnavailableException} naming the cause until the journal is opened again.
 */
public final class FileJournal implements EventStore {
  private static final Logger log = LoggerFactory.getLogger(FileJournal.class);

  /** Tunables; the defaults suit the embedded server. */
  public record Options(long segmentBytes, int maxPendingEvents, int maxGroupEvents, long maxPendingBytes, int maxGroupBytes) {
    /** With the default byte bounds: 256 MiB waiting at most, 16 MiB per group commit. */
    public Options(long segmentBytes, int maxPendingEvents, int maxGroupEvents) {
      this(segmentBytes, maxPendingEvents, maxGroupEvents, 256L << 20, 16 << 20);
    }

    public static Options defaults() {
      return new Options(256L << 20, 200_000, 20_000);
    }
  }

  private final Path dir;
  private final Map<String, WorkspaceLog> logs = new ConcurrentHashMap<>();
  private final SegmentFiles segments;
  private final JournalPurger purger;
  private final JournalCompactor compactor;
  private final JournalReads reads;
  private final Clock clock = Clock.systemUTC();
  /**
   * The entries of the last groups, so the feed's consumers read what was just written from memory:
   * 64 MiB holds well over a second of ingest at full speed, enough for consumers that keep up.
   */
  private static final long TAIL_CACHE_BYTES = 64L << 20;
  /** The change feed: which workspaces recent groups touched (64 Ki pairs: many seconds of groups). */
  private final ChangeLog changes = new ChangeLog(1 << 16);
  private final GroupCommitWriter writer;

  private FileJournal(Path dir, Options options) {
    this.dir = dir;
    this.segments = new SegmentFiles(dir);
    WriteActivity writes = new WriteActivity(); // the writer's groups: the purge and the compaction pace themselves meanwhile
    this.compactor = new JournalCompactor(dir, logs, segments, writes);
    this.reads = new JournalReads(logs, segments, changes);
    this.writer = new GroupCommitWriter(options, logs, segments, compactor, reads, new TailCache(TAIL_CACHE_BYTES), changes, writes);
    this.purger = new JournalPurger(dir, logs, segments, compactor, writer::requestSeal, new BackgroundPace(writes::busy), clock);
  }

  /** Opens (creating if needed) the journal in {@code dir}, recovering from whatever a crash left. */
  public static FileJournal open(Path dir, Options options) {
    FileJournal j = new FileJournal(dir, options);
    try {
      org.trailbook.OwnerOnly.directories(dir);
      j.recover();
    } catch (IOException e) {
      j.segments.close();
      throw new UncheckedIOException("cannot open the journal in " + dir, e);
    } catch (RuntimeException e) {
      j.segments.close();
      throw e;
    }
    j.writer.startThread();
    j.compactor.start(); // resumes the compaction a crash cut short
    return j;
  }

  public static FileJournal open(Path dir) {
    return open(dir, Options.defaults());
  }

  // ---------------------------------------------------------------- writing

  @Override
  public CompletableFuture<List<AppendResult>> append(String workspace, List<PendingEntry> entries) {
    if (entries.isEmpty()) return CompletableFuture.completedFuture(List.of());
    for (PendingEntry e : entries) {
      if (!e.workspace().equals(workspace)) throw new IllegalArgumentException("entry of another workspace in the batch");
    }
    return writer.append(workspace, entries);
  }

  static String segmentName(int index) {
    return String.format("segment-%010d.wal", index);
  }

  /** The writer (tests inject faults through it). */
  GroupCommitWriter writer() {
    return writer;
  }

  /** The segment files (tests reach their hooks through it). */
  SegmentFiles segmentFiles() {
    return segments;
  }

  /** The in-memory log of a workspace (tests look at its positions). */
  WorkspaceLog workspaceLog(String workspace) {
    return logs.get(workspace);
  }

  /** The background compaction (tests reach its hooks through it). */
  JournalCompactor compactor() {
    return compactor;
  }

  /** False once the writer failed (or while closing): the journal then refuses writes until restarted. */
  public boolean acceptsWrites() {
    return writer.acceptsWrites();
  }

  /** Events accepted by {@link #append} and not yet written and answered: what the pending limit bounds. */
  public int pendingEvents() {
    return writer.pendingEvents();
  }

  /** Sets the one observer told about every group commit (metrics); {@link GroupCommitObserver#NONE} to stop. */
  public void observe(GroupCommitObserver observer) {
    writer.observe(observer);
  }

  /** The writer's health: its thread, its progress, why it failed. */
  public PartHealth health() {
    return writer.health();
  }

  // ---------------------------------------------------------------- reading (JournalReads)

  @Override
  public long size(String workspace) {
    return reads.size(workspace);
  }

  @Override
  public List<Entry> read(String workspace, long from, long to) {
    return reads.read(workspace, from, to, false);
  }

  /** As {@link #read}, the newest entries from the tail cache (filled at publish): what consumers keeping up read. */
  @Override
  public List<Entry> readTail(String workspace, long from, long to) {
    return reads.read(workspace, from, to, true);
  }

  @Override
  public FeedChanges changesSince(long cursor) {
    return reads.changesSince(cursor);
  }

  @Override
  public boolean awaitChange(long cursor, java.time.Duration timeout) throws InterruptedException {
    return changes.await(cursor, timeout);
  }

  @Override
  public Optional<Entry> findById(String workspace, String id) {
    WorkspaceLog wl = logs.get(workspace);
    return wl == null ? Optional.empty() : Optional.ofNullable(reads.byId(wl, id, wl.size));
  }

  // ---------------------------------------------------------------- purging (JournalPurger)

  @Override
  public Purge purge(String workspace, long toSeq, long[] keep, String reason) {
    return purger.purge(workspace, toSeq, keep, reason);
  }

  @Override
  public long purgedBefore(String workspace) {
    WorkspaceLog wl = logs.get(workspace);
    return wl == null ? 0 : wl.purged.horizon();
  }

  @Override
  public byte[] purgedLeaves(String workspace, long from, long to) {
    long horizon = purgedBefore(workspace);
    if (from < 0 || from > to || to > horizon) {
      throw new IllegalArgumentException("leaf range [" + from + ", " + to + ") is not below the purge horizon " + horizon + " of " + workspace);
    }
    return PurgedLeaves.read(dir, workspace, from, to);
  }

  @Override
  public List<Purge> purges(String workspace) {
    WorkspaceLog wl = logs.get(workspace);
    return wl == null ? List.of() : wl.purged.purges();
  }

  @Override
  public Set<String> workspaces() {
    Set<String> out = new TreeSet<>();
    logs.forEach((ws, wl) -> {
      if (wl.size > 0) out.add(ws);
    });
    return out;
  }

  /** Sealed segments waiting for the background rewrite that gives back the space of purged entries. */
  public int compactionPending() {
    return compactor.pending();
  }

  /** Waits until no sealed segment waits for its rewrite (tests and backups); false if {@code timeout} passed first. */
  public boolean awaitCompaction(java.time.Duration timeout) throws InterruptedException {
    return compactor.awaitIdle(timeout);
  }

  // ---------------------------------------------------------------- recovery

  /** Recovery proper (reading, cutting a torn tail, refusing damage) is {@link JournalRecovery}'s; this only fills the in-memory logs. */
  private void recover() throws IOException {
    SegmentCompactor.deleteLeftovers(dir);
    Map<String, PurgeHorizon> purged = PurgeManifest.read(dir);
    Map<String, Long> horizons = new HashMap<>();
    purged.forEach((ws, p) -> {
      logs.computeIfAbsent(ws, WorkspaceLog::new).purged = p;
      horizons.put(ws, p.horizon());
    });
    PurgedLeaves.cut(dir, horizons);
    JournalRecovery.Result r = JournalRecovery.recover(dir, clock, purged, this::recovered);
    writer.start(r);
    TreeHasher hasher = new TreeHasher();
    r.lastEntries().forEach((ws, canonical) -> logs.get(ws).lastLeaf = hasher.leafHash(canonical));
    purged.forEach((ws, p) -> {
      WorkspaceLog wl = logs.get(ws);
      if (wl.nextSeq < p.horizon()) { // the log's last entries are purged: it goes on from the last purge's record
        wl.nextSeq = wl.size = p.horizon();
        wl.lastLeaf = p.purges().getLast().lastLeaf();
      }
    });
    r.compactable().forEach(compactor::mark);
    long total = logs.values().stream().mapToLong(wl -> wl.size).sum();
    log.info("journal recovered: {} entries in {} workspaces, {} segments", total, logs.size(), segments.count());
  }

  private void recovered(String workspace, String id, long seq, long position) {
    WorkspaceLog wl = logs.computeIfAbsent(workspace, WorkspaceLog::new);
    wl.positions.addAt(seq, position); // a purged seq before it is left a hole
    wl.ids.put(id, seq);
    wl.nextSeq = seq + 1;
    wl.size = wl.nextSeq;
  }

  // ---------------------------------------------------------------- closing

  @Override
  public void close() {
    compactor.stop(); // no new segment rewrite while the writer drains
    try {
      writer.close(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    purger.close();
    compactor.close();
    segments.close();
  }
}
