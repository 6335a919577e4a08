package org.trailbook.export;

import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;
import java.util.concurrent.atomic.AtomicLong;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;
import org.trailbook.search.EventFilter;
import org.trailbook.search.EventSearch;

/**
 * The entries of one export, in log order (seq ascending), below a fixed end (the log's size when the export began, so
 * entries arriving meanwhile — the export's own audit event among them — never change it). Unfiltered, it reads the
 * journal in pages of {@link #PAGE}; filtered, it asks the index for the next page of matching seqs after the last
 * one and reads those entries. Either way it holds at most one page: memory does not grow with the export.
 */
final class ExportScan {
  static final int PAGE = 1000;

  /** Reads one entry at a time; may throw I/O errors of the output. */
  interface EntryAction {
    void accept(Entry e) throws IOException;
  }

  private final EventStore store;
  private final EventSearch search;
  private final EventFilter filter;
  private final long end;
  private final int page;
  private final AtomicLong peakHeld = new AtomicLong();

  ExportScan(EventStore store, EventSearch search, EventFilter filter, long end, int page) {
    this.store = store;
    this.search = search;
    this.filter = filter;
    this.end = end;
    this.page = page;
  }

  String workspace() {
    return filter.workspace();
  }

  boolean unfiltered() {
    return filter.matchesAll();
  }

  /** Unfiltered, of a log no purge touched: every seq below {@link #end} is there (a bundle of the range needs no proofs). */
  boolean wholeRange() {
    return unfiltered() && store.purgedBefore(workspace()) == 0;
  }

  long end() {
    return end;
  }

  /** How many entries the scan gives, counted up to {@code cap}. The index must show every entry below {@link #end}. */
  long count(long cap) {
    return unfiltered() ? Math.min(end - removed(), cap) : search.count(filter, end, cap);
  }

  /** How many entries below {@link #end} purges removed (a purge never reaches past the log's size when it ran). */
  private long removed() {
    long removed = 0;
    for (org.trailbook.journal.Purge p : store.purges(workspace())) removed += p.removed();
    return removed;
  }

  /** The most entries (or seqs) the scan ever held at once: at most its page size. */
  long peakHeld() {
    return peakHeld.get();
  }

  void forEach(EntryAction action, Runnable checkCancelled) throws IOException {
    if (unfiltered()) {
      for (long from = 0; from < end; from += page) {
        checkCancelled.run();
        List<Entry> entries = store.read(workspace(), from, Math.min(end, from + page));
        held(entries.size());
        for (Entry e : entries) action.accept(e);
      }
      return;
    }
    PrimitiveIterator.OfLong seqs = seqs(checkCancelled);
    while (seqs.hasNext()) {
      long seq = seqs.nextLong();
      List<Entry> one = store.read(workspace(), seq, seq + 1);
      if (one.isEmpty()) throw new IllegalStateException("the log of " + workspace() + " has no seq " + seq);
      action.accept(one.getFirst());
    }
  }

  /** The matching seqs, ascending, fetched from the index a page at a time. */
  PrimitiveIterator.OfLong seqs(Runnable checkCancelled) {
    return new PrimitiveIterator.OfLong() {
      private long[] current = new long[0];
      private int next;
      private long after = -1;
      private boolean last;

      @Override
      public boolean hasNext() {
        if (next < current.length) return true;
        if (last) return false;
        checkCancelled.run();
        current = unfiltered() ? range(after, page) : search.seqs(filter, after, end, page);
        held(current.length);
        next = 0;
        // unfiltered, a page below the purge horizon holds only the kept seqs: the end is where the seqs end
        last = unfiltered() ? current.length == 0 || current[current.length - 1] >= end - 1 : current.length < page;
        if (current.length > 0) after = current[current.length - 1];
        return current.length > 0;
      }

      @Override
      public long nextLong() {
        if (!hasNext()) throw new NoSuchElementException();
        return current[next++];
      }
    };
  }

  /** The next {@code n} seqs after {@code after} that the log holds: below the purge horizon, the kept ones. */
  private long[] range(long after, int n) {
    long from = after + 1;
    long horizon = Math.min(end, store.purgedBefore(workspace()));
    while (from < horizon) {
      List<Entry> kept = store.read(workspace(), from, Math.min(horizon, from + (long) n));
      if (!kept.isEmpty()) return kept.stream().mapToLong(Entry::seq).toArray();
      from = Math.min(horizon, from + n);
    }
    int len = (int) Math.max(0, Math.min(n, end - from));
    long[] out = new long[len];
    for (int i = 0; i < len; i++) out[i] = from + i;
    return out;
  }

  private void held(long n) {
    peakHeld.accumulateAndGet(n, Math::max);
  }
}
