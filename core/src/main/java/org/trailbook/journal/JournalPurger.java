package org.trailbook.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * forgotten and the positions of the purged prefix released; (4) the sealed segments that held
 * removed frames are compacted ({@link SegmentCompactor}), each swapped in with its moved positions.
 * A crash before (2) leaves the state before (recovery cuts the extra leaf hashes); after (2), the
 * state after, and recovery finds the frames of purged entries still in segments and compacts them.
 * The active segment is never rewritten: its purged frames wait until it is sealed and the next
 * purge (or open) compacts it. One purge or compaction runs at a time.
 */
final class JournalPurger {
  private static final Logger log = LoggerFactory.getLogger(JournalPurger.class);

  private final Path dir;
  private final Map<String, WorkspaceLog> logs;
  private final SegmentFiles files;
  private final Clock clock;
  private final TreeHasher hasher = new TreeHasher(); // guarded by this
  /** Segments holding frames of purged entries, to compact once sealed. */
  private final Set<Integer> compactable = new TreeSet<>();
  /** Set by {@link #close}: no new purge, and compaction stops after the segment in progress. */
  private volatile boolean closed;

  JournalPurger(Path dir, Map<String, WorkspaceLog> logs, SegmentFiles files, Clock clock) {
    this.dir = dir;
    this.logs = logs;
    this.files = files;
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
    try {
      Hash lastLeaf = horizon > old.horizon()
          ? PurgedLeaves.append(dir, workspace, old.horizon(), horizon, seq -> hasher.leafHash(files.read(wl, seq).canonical()))
          : old.purges().getLast().lastLeaf();
      Purge purge = new Purge(workspace, old.horizon(), horizon, removed, lastLeaf, clock.instant(), reason);
      PurgeHorizon next = old.after(purge, kept);
      Map<String, PurgeHorizon> all = new TreeMap<>();
      logs.forEach((ws, l) -> {
        if (!l.purged.purges().isEmpty()) all.put(ws, l.purged);
      });
      all.put(workspace, next);
      PurgeManifest.write(dir, all); // the commit point
      for (long s : old.kept()) if (next.purged(s)) noteSegment(wl, s);
      for (long s = old.horizon(); s < horizon; s++) if (next.purged(s)) noteSegment(wl, s);
      files.exclusively(() -> wl.purged = next);
      wl.ids.retain(seq -> !next.purged(seq));
      wl.positions.dropChunks(horizon, c -> !next.allPurged((long) c * LongColumn.CHUNK, (long) (c + 1) * LongColumn.CHUNK));
      log.info("purged {} entries of workspace {} below seq {} ({})", removed, workspace, horizon, reason);
      compactSealed();
      return purge;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot purge workspace " + workspace + " in " + dir, e);
    }
  }

  private void noteSegment(WorkspaceLog wl, long seq) {
    long position = wl.positions.get(seq);
    if (position >= 0) compactable.add((int) (position >>> 32));
  }

  /** At open: segments recovery found frames of purged entries in. */
  synchronized void compactLater(Set<Integer> segments) {
    compactable.addAll(segments);
  }

  /**
   * Compacts every sealed segment known to hold frames of purged entries. A failure is logged, not
   * thrown: the purge is committed and the segment is compacted again at the next open.
   */
  synchronized void compactSealed() {
    int active = files.count() - 1;
    for (Iterator<Integer> it = compactable.iterator(); it.hasNext(); ) {
      int segment = it.next();
      if (closed) return; // the rest is compacted at the next open
      if (segment >= active) continue;
      try {
        compact(segment);
        it.remove();
      } catch (IOException | RuntimeException e) {
        log.error("journal: compaction of {} failed; it is retried at the next open", FileJournal.segmentName(segment), e);
      }
    }
  }

  /** Stops purging: waits for the purge or segment compaction in progress, lets no other start. */
  void close() {
    closed = true;
    synchronized (this) {
      // the step in progress has ended
    }
  }

  /** Where the retained frames of one segment moved: three parallel columns, about 20 bytes a frame. */
  private static final class Moves {
    WorkspaceLog[] logs = new WorkspaceLog[1024];
    long[] seqs = new long[1024];
    int[] offsets = new int[1024]; // a segment is below 4 GiB: positions keep offsets in 32 bits
    int count;

    void add(WorkspaceLog log, long seq, long offset) {
      if (count == seqs.length) {
        logs = java.util.Arrays.copyOf(logs, count * 2);
        seqs = java.util.Arrays.copyOf(seqs, count * 2);
        offsets = java.util.Arrays.copyOf(offsets, count * 2);
      }
      logs[count] = log;
      seqs[count] = seq;
      offsets[count++] = (int) offset;
    }
  }

  private void compact(int segment) throws IOException {
    Path file = dir.resolve(FileJournal.segmentName(segment));
    Moves moves = new Moves();
    SegmentCompactor.Result r = SegmentCompactor.compact(file, (ws, seq) -> {
      WorkspaceLog wl = logs.get(ws);
      return wl == null || !wl.purged.purged(seq);
    }, (ws, seq, offset) -> moves.add(logs.get(ws), seq, offset));
    FileChannel fresh = FileChannel.open(file, StandardOpenOption.READ);
    FileChannel old = files.replace(segment, fresh, () -> {
      for (int i = 0; i < moves.count; i++) moves.logs[i].positions.set(moves.seqs[i], ((long) segment << 32) | (moves.offsets[i] & 0xFFFFFFFFL));
    });
    old.close(); // readers still in it fail, find their stamp invalid and read again from the new file
    log.info("journal: compacted {}: {} frames dropped, {} bytes given back", file.getFileName(), r.framesDropped(), r.bytesBefore() - r.bytesAfter());
  }
}
