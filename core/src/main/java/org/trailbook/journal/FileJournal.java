package org.trailbook.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.trailbook.health.PartHealth;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded journal: every workspace's log in one shared, segmented write-ahead file set
 * ({@code segment-NNNNNNNNNN.wal}, format in {@link JournalFormat}), written by one thread that
 * group-commits: it drains every pending batch, assigns seqs and prev_hashes, writes them as one
 * group, fsyncs once and only then completes the waiting requests.
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
 * <p>If the writer fails (a write or fsync error, an interrupt, an Error such as OutOfMemoryError)
 * it reports to {@link #health()}, fails every waiting request and ends; from then on appends fail
 * at once with {@link JournalUnavailableException} naming the cause, and no request is left waiting.
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

  private record Request(String workspace, List<PendingEntry> entries, long bytes, CompletableFuture<List<AppendResult>> done) {}

  private final Path dir;
  private final Options options;
  private final Map<String, WorkspaceLog> logs = new ConcurrentHashMap<>();
  private final SegmentFiles segments;
  private final JournalPurger purger;
  private final JournalCompactor compactor;
  /**
   * Set by a purge that left frames in the active segment: the writer seals it before its next group, so the
   * compactor gives that space back now rather than once the segment fills (which a small log may take months to do).
   * Only a segment of at least 1/{@value #SEAL_FOR_PURGE_SHARE} of the segment size is sealed early: a smaller one
   * holds too little to be worth a segment of its own.
   */
  private final java.util.concurrent.atomic.AtomicBoolean sealRequested = new java.util.concurrent.atomic.AtomicBoolean();
  private static final int SEAL_FOR_PURGE_SHARE = 16;
  private final JournalReads reads;
  private final Clock clock = Clock.systemUTC();
  /**
   * The entries of the last groups, so the feed's consumers read what was just written from memory:
   * 64 MiB holds well over a second of ingest at full speed, enough for consumers that keep up.
   */
  private static final long TAIL_CACHE_BYTES = 64L << 20;
  private final TailCache tail = new TailCache(TAIL_CACHE_BYTES);
  /** The change feed: which workspaces recent groups touched (64 Ki pairs: many seconds of groups). */
  private final ChangeLog changes = new ChangeLog(1 << 16);
  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final PendingLimit pending;
  private final Thread writer;
  private final TreeHasher hasher = new TreeHasher();
  private final PartHealth health =
      new PartHealth("journal_writer", "the journal writer", "writes are refused until the server restarts", true);
  private volatile boolean closing;
  /** A fault to inject after each group's fsync and publication, before its requests are answered (tests only; null in service). */
  volatile Runnable fault;
  /** Metrics hook, told once per group on the writer thread (see {@link #observe}). */
  private volatile GroupCommitObserver observer = GroupCommitObserver.NONE;
  private long nextGroupSeq;
  private long activeSize;
  /** Where the active segment's groups start: after its file header (0 in a version 0 segment). */
  private long activeStart;
  private ByteBuffer groupBuffer = ByteBuffer.allocate(1 << 20);

  private FileJournal(Path dir, Options options) {
    this.dir = dir;
    this.options = options;
    this.pending = new PendingLimit("the journal", options.maxPendingEvents(), options.maxPendingBytes());
    this.writer = Thread.ofPlatform().name("journal-writer").daemon(true).unstarted(this::writeLoop);
    this.segments = new SegmentFiles(dir);
    this.compactor = new JournalCompactor(dir, logs, segments);
    this.purger = new JournalPurger(dir, logs, segments, compactor, () -> sealRequested.set(true), clock);
    this.reads = new JournalReads(logs, segments, changes);
  }

  /** Opens (creating if needed) the journal in {@code dir}, recovering from whatever a crash left. */
  public static FileJournal open(Path dir, Options options) {
    FileJournal j = new FileJournal(dir, options);
    try {
      org.trailbook.OwnerOnly.directories(dir);
      j.recover();
    } catch (IOException e) {
      j.closeChannels();
      throw new UncheckedIOException("cannot open the journal in " + dir, e);
    } catch (RuntimeException e) {
      j.closeChannels();
      throw e;
    }
    j.writer.start();
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
    if (health.failure() != null || closing) throw unavailable();
    long bytes = pending.take(entries);
    CompletableFuture<List<AppendResult>> done = new CompletableFuture<>();
    Request request = new Request(workspace, entries, bytes, done);
    queue.add(request);
    // The writer may have stopped since the check above. It records its failure (or sees `closing`)
    // before its last look at the queue, so either it takes this request or we see the flag here.
    if ((health.failure() != null || closing) && queue.remove(request)) {
      release(request);
      done.completeExceptionally(unavailable());
    }
    return done;
  }

  private JournalUnavailableException unavailable() {
    PartHealth.Failure f = health.failure();
    return f != null ? new JournalUnavailableException(f.reason(), f.cause()) : new JournalUnavailableException("the journal is closing", null);
  }

  private void release(Request r) {
    pending.give(r.entries().size(), r.bytes());
  }

  private void writeLoop() {
    health.running();
    List<Request> drained = new ArrayList<>();
    try {
      while (true) {
        health.progressed();
        Request first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing && queue.isEmpty()) break;
          continue;
        }
        drained.add(first);
        int events = first.entries().size();
        long bytes = first.bytes();
        Request next;
        while (events < options.maxGroupEvents() && bytes < options.maxGroupBytes() && (next = queue.poll()) != null) {
          drained.add(next);
          events += next.entries().size();
          bytes += next.bytes();
        }
        commit(drained);
        for (Request r : drained) release(r);
        drained.clear();
      }
      health.stopped();
    } catch (Throwable t) {
      // An interrupt lands here too: nothing in the server interrupts the writer, so one is a fault.
      // No retry: after a failed write what reached the disk is settled by recovery at the next start.
      stopAfter(t, drained);
    }
  }

  /** The writer failed: report it once, fail every request it holds or that is queued, and end. */
  private void stopAfter(Throwable t, List<Request> drained) {
    health.fail(t); // appends see this before queueing, or re-check it after (see append)
    for (Request r : drained) {
      r.done().completeExceptionally(unavailable()); // no-op for requests already answered
      release(r);
    }
    Request r;
    while ((r = queue.poll()) != null) {
      r.done().completeExceptionally(unavailable());
      release(r);
    }
  }

  /** One group commit: sequence, write, fsync, publish, acknowledge. */
  private void commit(List<Request> requests) throws IOException {
    List<List<AppendResult>> results = new ArrayList<>(requests.size());
    List<Committed> committed = new ArrayList<>();
    GroupIds ids = new GroupIds();
    // a request refused for an id conflict is answered only after the fsync, so the seq it names is durable
    Map<Integer, IdConflictException> conflicts = new HashMap<>();
    long fsyncNanos = -1; // stays -1 when the group wrote nothing (only duplicates or conflicts): nothing to observe
    int written = 0;
    int bytes = 0;
    for (Request r : requests) for (PendingEntry e : r.entries()) bytes += JournalFormat.frameLength(e.workspace(), e.id(), e.approximateSize());
    ByteBuffer buf = buffer(JournalFormat.HEADER_BYTES + bytes);
    buf.position(JournalFormat.HEADER_BYTES);
    List<Integer> offsets = new ArrayList<>(); // of each frame within the group
    for (Request r : requests) {
      WorkspaceLog wl = logs.computeIfAbsent(r.workspace(), WorkspaceLog::new);
      long[] known;
      try {
        known = ids.resolve(r.workspace(), r.entries(), id -> findStored(wl, id));
      } catch (IdConflictException conflict) {
        conflicts.put(results.size(), conflict);
        results.add(null);
        continue;
      }
      List<AppendResult> out = new ArrayList<>(r.entries().size());
      for (int k = 0; k < r.entries().size(); k++) {
        PendingEntry e = r.entries().get(k);
        long earlier = known[k] >= 0 ? known[k] : ids.seqInGroup(r.workspace(), e.id());
        if (earlier >= 0) {
          out.add(new AppendResult(e.id(), earlier, true));
          continue;
        }
        long seq = wl.nextSeq++;
        byte[] canonical = EntryEncoder.complete(e, seq, wl.lastLeaf);
        Hash leaf = hasher.leafHash(canonical);
        wl.lastLeaf = leaf;
        buf = ensure(buf, JournalFormat.frameLength(e.workspace(), e.id(), canonical.length));
        offsets.add(buf.position());
        JournalFormat.writeFrame(buf, r.workspace(), e.id(), seq, canonical);
        ids.add(r.workspace(), e.id(), seq, canonical);
        out.add(new AppendResult(e.id(), seq, false));
        committed.add(new Committed(wl, new Entry(r.workspace(), seq, e.id(), canonical)));
      }
      results.add(out);
    }
    if (!committed.isEmpty()) {
      int end = buf.position();
      boolean sealForPurge = sealRequested.getAndSet(false) && activeSize >= options.segmentBytes() / SEAL_FOR_PURGE_SHARE;
      if (activeSize > activeStart && (sealForPurge || activeSize + end > options.segmentBytes())) {
        openSegment(segments.count(), true);
        compactor.wake(); // the segment just sealed may hold frames of purged entries
        activeSize = activeStart = JournalFormat.FILE.headerLength();
      }
      int segment = segments.count() - 1;
      long groupStart = activeSize;
      buf.position(0);
      JournalFormat.writeHeader(buf, nextGroupSeq, committed.size(), end - JournalFormat.HEADER_BYTES);
      buf.position(end).flip();
      FileChannel ch = segments.get(segment);
      long at = activeSize;
      while (buf.hasRemaining()) at += ch.write(buf, at);
      long syncStart = System.nanoTime();
      ch.force(false);
      fsyncNanos = System.nanoTime() - syncStart;
      written = end;
      activeSize = at;
      nextGroupSeq++;
      publish(committed, offsets, segment, groupStart);
      Runnable f = fault;
      if (f != null) f.run();
    }
    for (int i = 0; i < requests.size(); i++) {
      IdConflictException conflict = conflicts.get(i);
      if (conflict != null) requests.get(i).done().completeExceptionally(conflict);
      else requests.get(i).done().complete(results.get(i));
    }
    // after the requests are answered, so metrics never delay an acknowledgement
    if (fsyncNanos >= 0) {
      try {
        observer.committed(committed.size(), written, fsyncNanos);
      } catch (RuntimeException ex) {
        log.error("group commit observer failed", ex);
      }
    }
  }

  /** An entry written by the group being committed: where it goes in its workspace's in-memory log. */
  private record Committed(WorkspaceLog log, Entry entry) {}

  /**
   * Makes a durable group readable: positions, ids and the tail cache first, then the sizes, then
   * the change feed's record (which wakes its consumers). Nothing else: consumers read what they
   * need themselves (from the tail cache while they keep up).
   */
  private void publish(List<Committed> committed, List<Integer> offsets, int segment, long groupStart) {
    Map<WorkspaceLog, List<Entry>> runs = new java.util.LinkedHashMap<>();
    for (int i = 0; i < committed.size(); i++) {
      Committed c = committed.get(i);
      c.log().positions.add(((long) segment << 32) | (groupStart + offsets.get(i)));
      c.log().ids.put(c.entry().id(), c.entry().seq());
      runs.computeIfAbsent(c.log(), wl -> new ArrayList<>()).add(c.entry());
    }
    Set<String> touched = new java.util.HashSet<>();
    runs.forEach((wl, entries) -> {
      tail.add(wl.tail, entries);
      wl.size = entries.getLast().seq() + 1;
      touched.add(wl.workspace);
    });
    changes.record(touched); // after the sizes: whoever sees the cursor sees them too
  }

  private ByteBuffer buffer(int size) {
    if (groupBuffer.capacity() < size) groupBuffer = ByteBuffer.allocate(Math.max(size, groupBuffer.capacity() * 2));
    groupBuffer.clear();
    return groupBuffer;
  }

  private ByteBuffer ensure(ByteBuffer buf, int more) {
    if (buf.remaining() >= more) return buf;
    ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more));
    buf.flip();
    bigger.put(buf);
    groupBuffer = bigger;
    return bigger;
  }

  private FileChannel openSegment(int index, boolean create) throws IOException {
    Path file = dir.resolve(segmentName(index));
    FileChannel ch = create
        ? org.trailbook.OwnerOnly.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)
        : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    if (create) {
      // the file header goes in, durable, before any group: a segment never holds a group without it
      ByteBuffer header = ByteBuffer.wrap(JournalFormat.writtenHeader());
      while (header.hasRemaining()) ch.write(header, header.position());
      ch.force(true);
      syncDirectory();
    }
    segments.add(ch);
    return ch;
  }

  private void syncDirectory() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  static String segmentName(int index) {
    return String.format("segment-%010d.wal", index);
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
    return health.failure() == null && !closing;
  }

  /** Events accepted by {@link #append} and not yet written and answered: what the pending limit bounds. */
  public int pendingEvents() {
    return pending.events();
  }

  /** Sets the one observer told about every group commit (metrics); {@link GroupCommitObserver#NONE} to stop. */
  public void observe(GroupCommitObserver observer) {
    this.observer = java.util.Objects.requireNonNull(observer);
  }

  /** The writer's health: its thread, its progress, why it failed. */
  public PartHealth health() {
    return health;
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

  /** Writer-side lookup of entries written by earlier groups: the stored entry with this id, or null. */
  private Entry findStored(WorkspaceLog wl, String id) {
    return reads.byId(wl, id, Long.MAX_VALUE);
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
    for (int i = 0; i < r.segments(); i++) openSegment(i, false);
    activeSize = r.activeSize();
    activeStart = r.activeStart();
    nextGroupSeq = r.nextGroupSeq();
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
    closing = true;
    compactor.stop(); // no new segment rewrite while the writer drains
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    purger.close();
    compactor.close();
    closeChannels();
  }

  private void closeChannels() {
    segments.close();
  }
}
