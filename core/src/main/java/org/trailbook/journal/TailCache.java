package org.trailbook.journal;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The entries of the last groups committed, up to a byte budget, kept in memory so that the
 * consumers following the commit feed (trees, index, streams) read what was just written without
 * going back to the segment files. The writer adds each group's entries as it publishes them (the
 * objects it built anyway) and evicts the oldest groups beyond the budget; readers copy from a
 * workspace's {@link Window} and read anything older from the files.
 */
final class TailCache {
  /** What an entry costs beyond its canonical bytes (the record, its strings, a ring slot): a rough bound. */
  private static final int OVERHEAD = 128;

  private final long maxBytes;
  /** The runs added, oldest first; writer thread only. */
  private final ArrayDeque<Run> runs = new ArrayDeque<>();
  private long bytes; // writer thread only

  /** Some entries of one workspace added by one group. */
  private record Run(Window window, int count, long bytes) {}

  TailCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Writer thread: caches a run of one workspace's new entries (seq order, right after its cached ones), then evicts. */
  void add(Window window, List<Entry> entries) {
    if (maxBytes <= 0 || entries.isEmpty()) return;
    long size = 0;
    for (Entry e : entries) size += e.canonical().length + OVERHEAD;
    window.addAll(entries);
    runs.addLast(new Run(window, entries.size(), size));
    bytes += size;
    while (bytes > maxBytes && !runs.isEmpty()) {
      Run oldest = runs.pollFirst();
      oldest.window().dropOldest(oldest.count());
      bytes -= oldest.bytes();
    }
  }

  /** One workspace's cached tail: a ring of its newest entries, contiguous in seq. Guarded by its monitor. */
  static final class Window {
    private static final int INITIAL = 16;
    private Entry[] ring = new Entry[INITIAL];
    private int head; // slot of the oldest cached entry
    private int count;
    private long first; // seq of the oldest cached entry

    private synchronized void addAll(List<Entry> entries) {
      for (Entry e : entries) {
        if (count > 0 && e.seq() != first + count) clear(); // never expected: keep the window contiguous whatever happens
        if (count == ring.length) grow();
        if (count == 0) first = e.seq();
        ring[(head + count) & (ring.length - 1)] = e;
        count++;
      }
    }

    private synchronized void dropOldest(int n) {
      n = Math.min(n, count);
      for (int i = 0; i < n; i++) ring[(head + i) & (ring.length - 1)] = null;
      head = (head + n) & (ring.length - 1);
      first += n;
      count -= n;
      if (count == 0 && ring.length > INITIAL) clear(); // an idle workspace gives its ring back
    }

    /**
     * Copies the cached entries with {@code from <= seq < to} into {@code out} if the cache holds
     * the range's whole end (up to {@code to}); returns the first seq copied, or {@code to} when
     * nothing was (everything then comes from the files).
     */
    synchronized long copy(long from, long to, List<Entry> out) {
      long start = Math.max(from, first);
      if (count == 0 || start >= to || first + count < to) return to;
      for (long s = start; s < to; s++) out.add(ring[(int) ((head + (s - first)) & (ring.length - 1))]);
      return start;
    }

    private void grow() {
      Entry[] bigger = new Entry[ring.length * 2];
      for (int i = 0; i < count; i++) bigger[i] = ring[(head + i) & (ring.length - 1)];
      ring = bigger;
      head = 0;
    }

    private void clear() {
      ring = new Entry[INITIAL];
      head = 0;
      count = 0;
    }
  }
}
