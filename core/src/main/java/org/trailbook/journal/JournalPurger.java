package org.trailbook.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.health.BackgroundPace;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;

/**
 * {@link FileJournal#purge}: removes a prefix of a workspace's log on the caller's thread while the
 * writer appends and readers read.
 *
 * <p>Order (docs/adr/0004): (1) the leaf hashes of {@code [old horizon, new horizon)}, read from the
 * stored entries, are appended to {@link PurgedLeaves} and forced; (2) the {@link PurgeManifest} is
 * replaced atomically: the commit point; (3) the in-memory purge state is swapped under {@link
 * SegmentFiles#exclusively}, so reads leave the removed entries out from then on, their ids are
 * forgotten and the positions of the purged prefix released; (4) the segments that held removed
 * frames are marked for the {@link JournalCompactor}, which rewrites them in the background once
 * sealed (the writer seals the active segment early when it holds some). A crash before (2) leaves the state before (recovery cuts the extra leaf hashes); after
 * (2), the state after, and recovery finds the frames of purged entries still in segments and marks
 * them again. One purge runs at a time.
 */
final class JournalPurger {
  private static final Logger log = LoggerFactory.getLogger(JournalPurger.class);

  private final Path dir;
  private final Map<String, WorkspaceLog> logs;
  private final SegmentFiles files;
  private final Clock clock;
  private final JournalCompactor compactor;
  /** Asks the writer to seal the active segment (it holds frames this purge removed). */
  private final Runnable sealActive;
  private final TreeHasher hasher = new TreeHasher(); // guarded by this
  /** Paces the reading of the purged leaf hashes while the writer writes (guarded by this). */
  private final BackgroundPace pace;
  /** Set by {@link #close}: no new purge. */
  private volatile boolean closed;

  JournalPurger(Path dir, Map<String, WorkspaceLog> logs, SegmentFiles files, JournalCompactor compactor, Runnable sealActive, BackgroundPace pace,
      Clock clock) {
    this.pace = pace;
    this.dir = dir;
    this.logs = logs;
    this.files = files;
    this.compactor = compactor;
    this.sealActive = sealActive;
    this.clock = clock;
  }

  synchronized Purge purge(String workspace, long toSeq, long[] keep, String reason) {
    if (closed) throw new JournalUnavailableException("the journal is closing", null);
    WorkspaceLog wl = logs.get(workspace);
    long size = wl == null ? 0 : wl.size;
    if (toSeq < 0 || toSeq > size) {
      throw new IllegalArgumentException("toSeq " + toSeq + " is outside the log of workspace " + workspace + " (size " + size + ")");
    }
    for (int i = 0; i < keep.length; i++) {
      if (keep[i] < 0 || keep[i] >= toSeq || (i > 0 && keep[i] <= keep[i - 1])) {
        throw new IllegalArgumentException("keep must hold distinct seqs below toSeq " + toSeq + " in ascending order, not " + keep[i]);
      }
    }
    if (wl == null) return null;
    PurgeHorizon old = wl.purged;
    long horizon = Math.max(toSeq, old.horizon());
    long[] kept = LongStream.of(keep).filter(s -> !old.purged(s)).toArray(); // a removed entry cannot be kept again
    long removed = old.storedBelow(horizon) - kept.length;
    if (horizon == old.horizon() && removed == 0) return null;
    pace.begin();
    try {
      Hash lastLeaf = horizon > old.horizon()
          ? PurgedLeaves.append(dir, workspace, old.horizon(), horizon, new StoredLeaves(wl, horizon))
          : old.purges().getLast().lastLeaf();
      Purge purge = new Purge(workspace, old.horizon(), horizon, removed, lastLeaf, clock.instant(), reason);
      PurgeHorizon next = old.after(purge, kept);
      Map<String, PurgeHorizon> all = new TreeMap<>();
      logs.forEach((ws, l) -> {
        if (!l.purged.purges().isEmpty()) all.put(ws, l.purged);
      });
      all.put(workspace, next);
      PurgeManifest.write(dir, all); // the commit point
      files.exclusively(() -> wl.purged = next);
      // marked after the swap: a rewrite that starts from here on drops these frames (JournalCompactor)
      BitSet segments = new BitSet();
      for (long s : old.kept()) if (next.purged(s)) noteSegment(wl, s, segments);
      for (long s = old.horizon(); s < horizon; s++) if (next.purged(s)) noteSegment(wl, s, segments);
      segments.stream().forEach(compactor::mark);
      if (segments.get(files.count() - 1)) sealActive.run();
      wl.ids.retain(seq -> !next.purged(seq));
      wl.positions.dropChunks(horizon, c -> !next.allPurged((long) c * LongColumn.CHUNK, (long) (c + 1) * LongColumn.CHUNK));
      log.info("purged {} entries of workspace {} below seq {} ({})", removed, workspace, horizon, reason);
      return purge;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot purge workspace " + workspace + " in " + dir, e);
    }
  }

  /**
   * The leaf hashes of the entries above the old horizon, in seq order, read a page at a time ({@link
   * SegmentFiles#readMany}: few system calls). Every seq there is stored: only one purge runs at a time.
   */
  private final class StoredLeaves implements PurgedLeaves.Source {
    private static final int PAGE = 1024;
    private final WorkspaceLog wl;
    private final long to;
    private final long[] seqs = new long[PAGE];
    private final List<Entry> page = new ArrayList<>(PAGE);
    private long pageFrom = -1;

    StoredLeaves(WorkspaceLog wl, long to) {
      this.wl = wl;
      this.to = to;
    }

    @Override
    public Hash leaf(long seq) {
      if (pageFrom < 0 || seq < pageFrom || seq >= pageFrom + page.size()) {
        int n = (int) Math.min(PAGE, to - seq);
        for (int i = 0; i < n; i++) seqs[i] = seq + i;
        page.clear();
        pace.step();
        files.readMany(wl, seqs, n, page);
        pageFrom = seq;
        if (page.size() != n) throw new IllegalStateException("seqs " + seq + ".." + (seq + n - 1) + " of " + wl.workspace + " are not all stored above the purge horizon");
      }
      Entry e = page.get((int) (seq - pageFrom));
      if (e.seq() != seq) throw new IllegalStateException("seq " + seq + " of " + wl.workspace + " is not stored above the purge horizon");
      return hasher.leafHash(e.canonical());
    }
  }

  private static void noteSegment(WorkspaceLog wl, long seq, BitSet segments) {
    long position = wl.positions.get(seq);
    if (position >= 0) segments.set((int) (position >>> 32));
  }

  /** Stops purging: waits for the purge in progress, lets no other start. */
  void close() {
    closed = true;
    synchronized (this) {
      // the step in progress has ended
    }
  }
}
