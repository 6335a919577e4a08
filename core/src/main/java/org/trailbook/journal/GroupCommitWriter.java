package org.trailbook.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.health.PartHealth;
import org.trailbook.health.WriteActivity;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;

/**
 * The {@link FileJournal}'s one writer thread: it drains every pending request, assigns seqs and prev_hashes, writes
 * them as one group to the active segment, fsyncs once and only then publishes the group (positions, ids, the tail
 * cache, the change feed) and completes the waiting requests.
 *
 * <p>If it fails (a write or fsync error, an interrupt, an Error such as OutOfMemoryError) it reports to {@link
 * #health()}, fails every waiting request and ends; from then on appends fail at once with {@link
 * JournalUnavailableException} naming the cause, and no request is left waiting.
 */
final class GroupCommitWriter {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
  /**
   * A segment holding frames of purged entries is sealed early (its space then comes back now, not once it fills, which
   * a small log may take months to do) only from 1/{@value} of the segment size: a smaller one is not worth a segment.
   */
  private static final int SEAL_FOR_PURGE_SHARE = 16;

  private record Request(String workspace, List<PendingEntry> entries, long bytes, CompletableFuture<List<AppendResult>> done) {}

  /** An entry written by the group being committed: where it goes in its workspace's in-memory log. */
  private record Committed(WorkspaceLog log, Entry entry) {}

  private final FileJournal.Options options;
  private final Map<String, WorkspaceLog> logs;
  private final SegmentFiles segments;
  private final JournalCompactor compactor;
  private final JournalReads reads;
  private final TailCache tail;
  private final ChangeLog changes;
  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final PendingLimit pending;
  private final Thread thread;
  private final TreeHasher hasher = new TreeHasher();
  private final PartHealth health =
      new PartHealth("journal_writer", "the journal writer", "writes are refused until the server restarts", true);
  /** Set by a purge that left frames in the active segment (see {@link #SEAL_FOR_PURGE_SHARE}). */
  private final AtomicBoolean sealRequested = new AtomicBoolean();
  /** Told of every group written: background work paces itself meanwhile. */
  private final WriteActivity activity;
  private volatile boolean closing;
  /** A fault to inject after each group's fsync and publication, before its requests are answered (tests only; null in service). */
  volatile Runnable fault;
  /** Metrics hook, told once per group on the writer thread (see {@link FileJournal#observe}). */
  private volatile GroupCommitObserver observer = GroupCommitObserver.NONE;
  private long nextGroupSeq;
  private long activeSize;
  /** Where the active segment's groups start: after its file header (0 in a version 0 segment). */
  private long activeStart;
  private final GroupBuffer group = new GroupBuffer();

  GroupCommitWriter(FileJournal.Options options, Map<String, WorkspaceLog> logs, SegmentFiles segments, JournalCompactor compactor,
      JournalReads reads, TailCache tail, ChangeLog changes, WriteActivity activity) {
    this.activity = activity;
    this.options = options;
    this.logs = logs;
    this.segments = segments;
    this.compactor = compactor;
    this.reads = reads;
    this.tail = tail;
    this.changes = changes;
    this.pending = new PendingLimit("the journal", options.maxPendingEvents(), options.maxPendingBytes());
    this.thread = Thread.ofPlatform().name("journal-writer").daemon(true).unstarted(this::writeLoop);
  }

  /** Opens the segments recovery found and goes on writing where it ended. */
  void start(JournalRecovery.Result recovered) throws IOException {
    for (int i = 0; i < recovered.segments(); i++) segments.open(i);
    activeSize = recovered.activeSize();
    activeStart = recovered.activeStart();
    nextGroupSeq = recovered.nextGroupSeq();
  }

  void startThread() {
    thread.start();
  }

  CompletableFuture<List<AppendResult>> append(String workspace, List<PendingEntry> entries) {
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

  /** Asks for the active segment to be sealed before the next group: a purge left frames in it. */
  void requestSeal() {
    sealRequested.set(true);
  }

  /** Lets the queued requests be written, then ends (at most {@code millis} waited). */
  void close(long millis) throws InterruptedException {
    closing = true;
    thread.join(millis);
  }

  boolean acceptsWrites() {
    return health.failure() == null && !closing;
  }

  int pendingEvents() {
    return pending.events();
  }

  void observe(GroupCommitObserver observer) {
    this.observer = Objects.requireNonNull(observer);
  }

  PartHealth health() {
    return health;
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
    group.start(bytes);
    for (Request r : requests) {
      WorkspaceLog wl = logs.computeIfAbsent(r.workspace(), WorkspaceLog::new);
      long[] known;
      try {
        known = ids.resolve(r.workspace(), r.entries(), id -> reads.byId(wl, id, Long.MAX_VALUE));
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
        group.add(r.workspace(), e.id(), seq, canonical);
        ids.add(r.workspace(), e.id(), seq, canonical);
        out.add(new AppendResult(e.id(), seq, false));
        committed.add(new Committed(wl, new Entry(r.workspace(), seq, e.id(), canonical)));
      }
      results.add(out);
    }
    if (!committed.isEmpty()) {
      ByteBuffer buf = group.finish(nextGroupSeq);
      int end = buf.limit();
      boolean sealForPurge = sealRequested.getAndSet(false) && activeSize >= options.segmentBytes() / SEAL_FOR_PURGE_SHARE;
      if (activeSize > activeStart && (sealForPurge || activeSize + end > options.segmentBytes())) {
        segments.create();
        compactor.wake(); // the segment just sealed may hold frames of purged entries
        activeSize = activeStart = JournalFormat.FILE.headerLength();
      }
      int segment = segments.count() - 1;
      long groupStart = activeSize;
      FileChannel ch = segments.get(segment);
      long at = activeSize;
      while (buf.hasRemaining()) at += ch.write(buf, at);
      long syncStart = System.nanoTime();
      ch.force(false);
      fsyncNanos = System.nanoTime() - syncStart;
      written = end;
      activeSize = at;
      nextGroupSeq++;
      publish(committed, segment, groupStart);
      activity.touch();
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

  /**
   * Makes a durable group readable: positions, ids and the tail cache first, then the sizes, then
   * the change feed's record (which wakes its consumers). Nothing else: consumers read what they
   * need themselves (from the tail cache while they keep up).
   */
  private void publish(List<Committed> committed, int segment, long groupStart) {
    Map<WorkspaceLog, List<Entry>> runs = new LinkedHashMap<>();
    for (int i = 0; i < committed.size(); i++) {
      Committed c = committed.get(i);
      c.log().positions.add(((long) segment << 32) | (groupStart + group.offset(i)));
      c.log().ids.put(c.entry().id(), c.entry().seq());
      runs.computeIfAbsent(c.log(), wl -> new ArrayList<>()).add(c.entry());
    }
    Set<String> touched = new HashSet<>();
    runs.forEach((wl, entries) -> {
      tail.add(wl.tail, entries);
      wl.size = entries.getLast().seq() + 1;
      touched.add(wl.workspace);
    });
    changes.record(touched); // after the sizes: whoever sees the cursor sees them too
  }
}
