package org.trailbook.retention;

import java.util.Arrays;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;

/**
 * What one purge pass removes from a workspace's log: the new horizon {@code toSeq} and the seqs kept below it.
 *
 * <p>The horizon is found by scanning entries from the current horizon upward a page at a time and stopping at the
 * first entry received at or after the cutoff, so an entry inside its window is never purged even when the server's
 * clock went back for a moment (a later entry that looks older stays too), and never beyond {@code cap} (the latest
 * signed checkpoint's treeSize: leaves no checkpoint covers are never purged). Ages are measured on {@code
 * received_at}, the server's clock, never the client's {@code time}. Below the horizon the access trail (category
 * {@code audit_log}) is kept: every entry of it when {@code auditCutoff} is null, else those received at or after
 * {@code auditCutoff} — also the ones kept below the old horizon, which age out here. Memory: one page plus the kept
 * seqs, whatever the log's size.
 *
 * @param fromSeq the horizon before this purge
 * @param toSeq the new horizon
 * @param keep the seqs below {@code toSeq} that stay, ascending
 * @param capped true when the scan stopped at {@code cap} while older entries were still past it
 */
record PurgeSelection(long fromSeq, long toSeq, long[] keep, boolean capped) {
  /** Entries read at once above the horizon. */
  static final int PAGE = 1024;
  /** Seqs read at once below the old horizon, where reads hold only the kept entries. */
  static final int PURGED_PAGE = 65_536;
  static final String AUDIT_LOG = "audit_log";

  /**
   * @param cutoff entries received before it are past the window ({@code Times} format: compares as text)
   * @param auditCutoff {@code audit_log} entries received before it may go; null keeps every one
   * @param auditFrom {@code audit_log} entries below it stay whatever their age (below it nothing was archived)
   * @param step run after each page read (the purger's pace)
   */
  static PurgeSelection find(EventStore store, String ws, long cap, String cutoff, String auditCutoff, long auditFrom, Runnable step) {
    long from = store.purgedBefore(ws);
    Seqs keep = new Seqs();
    for (long at = 0; at < from; at += PURGED_PAGE) {
      for (Entry e : store.read(ws, at, Math.min(from, at + PURGED_PAGE))) {
        if (kept(AgeFields.of(e), e.seq() < auditFrom ? null : auditCutoff)) keep.add(e.seq());
      }
      step.run();
    }
    long end = Math.min(cap, store.size(ws));
    long to = from;
    boolean young = false;
    scan:
    for (long at = from; at < end; at += PAGE) {
      for (Entry e : store.read(ws, at, Math.min(end, at + PAGE))) {
        AgeFields fields = AgeFields.of(e);
        if (fields.receivedAt().compareTo(cutoff) >= 0) {
          young = true;
          break scan;
        }
        if (kept(fields, e.seq() < auditFrom ? null : auditCutoff)) keep.add(e.seq());
        to = e.seq() + 1;
      }
      step.run();
    }
    boolean capped = !young && to == end && end < store.size(ws) && olderAt(store, ws, end, cutoff);
    return new PurgeSelection(from, to, keep.toArray(), capped);
  }

  private static boolean kept(AgeFields entry, String auditCutoff) {
    if (!AUDIT_LOG.equals(entry.category())) return false;
    return auditCutoff == null || entry.receivedAt().compareTo(auditCutoff) >= 0;
  }

  /** Whether the entry at {@code seq} is past the window too (so only the checkpoint stopped the purge). */
  private static boolean olderAt(EventStore store, String ws, long seq, String cutoff) {
    var next = store.read(ws, seq, seq + 1);
    return !next.isEmpty() && AgeFields.of(next.getFirst()).receivedAt().compareTo(cutoff) < 0;
  }

  /** A growing array of seqs (no boxing: a large access trail stays compact). */
  private static final class Seqs {
    private long[] seqs = new long[64];
    private int size;

    void add(long seq) {
      if (size == seqs.length) seqs = Arrays.copyOf(seqs, size * 2);
      seqs[size++] = seq;
    }

    long[] toArray() {
      return Arrays.copyOf(seqs, size);
    }
  }
}
