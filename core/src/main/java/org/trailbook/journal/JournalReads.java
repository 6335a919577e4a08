package org.trailbook.journal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reading side of {@link FileJournal}: ranges (from the files, the newest from the tail cache),
 * ids, and the commit feed's sizes. Lock-free against the writer (see {@link LongColumn}, {@link
 * IdIndex}) and against purges and compaction (see {@link SegmentFiles}): an entry a purge removed is
 * never returned once the purge returned.
 */
final class JournalReads {
  /** Seqs handed to {@link SegmentFiles#readMany} at once. */
  private static final int BATCH = 1024;
  private final Map<String, WorkspaceLog> logs;
  private final SegmentFiles segments;
  private final ChangeLog changes;

  JournalReads(Map<String, WorkspaceLog> logs, SegmentFiles segments, ChangeLog changes) {
    this.logs = logs;
    this.segments = segments;
    this.changes = changes;
  }

  long size(String workspace) {
    WorkspaceLog wl = logs.get(workspace);
    return wl == null ? 0 : wl.size;
  }

  /** Entries {@code [from, to)} still stored; with {@code cache}, the newest from the tail cache. */
  List<Entry> read(String workspace, long from, long to, boolean cache) {
    WorkspaceLog wl = logs.get(workspace);
    long size = wl == null ? 0 : wl.size;
    if (from < 0 || from > to) throw new IllegalArgumentException("bad range [" + from + ", " + to + ")");
    long end = Math.min(to, size);
    List<Entry> out = new ArrayList<>((int) Math.max(0, end - from));
    if (end <= from) return out;
    List<Entry> cached = new ArrayList<>();
    long cachedFrom = cache ? wl.tail.copy(from, end, cached) : end; // the newest entries from memory, older ones from the files
    PurgeHorizon purged = wl.purged;
    long[] batch = new long[(int) Math.min(BATCH, Math.max(0, cachedFrom - from))];
    int n = 0;
    for (long s = purged.nextStored(from); s < cachedFrom; s = purged.nextStored(s + 1)) {
      batch[n++] = s;
      if (n == batch.length) {
        segments.readMany(wl, batch, n, out); // leaves out what was purged since `purged` was read
        n = 0;
      }
    }
    if (n > 0) segments.readMany(wl, batch, n, out);
    for (Entry e : cached) if (!wl.purged.purged(e.seq())) out.add(e);
    return out;
  }

  FeedChanges changesSince(long cursor) {
    long now = changes.cursor();
    Set<String> touched = changes.touchedSince(cursor);
    Map<String, Long> sizes = new HashMap<>();
    if (touched == null) {
      logs.forEach((ws, wl) -> {
        if (wl.size > 0) sizes.put(ws, wl.size);
      });
    } else {
      for (String ws : touched) sizes.put(ws, size(ws));
    }
    // `now` was read first: groups recorded meanwhile may be reported again next time, never missed
    return new FeedChanges(now, sizes);
  }

  /** The stored entry of {@code workspace} with this id below {@code size}, or null (never one a purge removed: its id is free again). */
  Entry byId(WorkspaceLog wl, String id, long size) {
    Entry[] found = new Entry[1]; // the entry read to confirm the id-hash candidate, kept for the content check
    wl.ids.find(id, s -> {
      Entry e = s < size ? segments.read(wl, s) : null;
      if (e == null || !e.id().equals(id)) return false;
      found[0] = e;
      return true;
    });
    return found[0];
  }
}
