package org.trailbook.journal;

import java.util.Arrays;
import java.util.List;

/**
 * One workspace's purge state as committed: entries below {@code horizon} are purged except the
 * {@code kept} ones (sorted seqs), and {@code purges} lists every purge, oldest first. Immutable: a
 * purge replaces the whole value, so a reader sees either the state before or the state after.
 * Public for offline tools ({@code verify}), which read it with {@link PurgeManifest#read}.
 */
public record PurgeHorizon(long horizon, long[] kept, List<Purge> purges) {
  public static final PurgeHorizon NONE = new PurgeHorizon(0, new long[0], List.of());

  /** True if the entry at {@code seq} was removed by a purge. */
  public boolean purged(long seq) {
    return seq < horizon && Arrays.binarySearch(kept, seq) < 0;
  }

  /** True if every seq in {@code [from, to)} was removed by a purge (true when the range is empty). */
  public boolean allPurged(long from, long to) {
    if (to <= from) return true;
    if (to > horizon) return false;
    int i = Arrays.binarySearch(kept, from);
    if (i >= 0) return false;
    int next = -i - 1; // the first kept seq above `from`
    return next >= kept.length || kept[next] >= to;
  }

  /** The first seq at or after {@code seq} that is not purged. */
  public long nextStored(long seq) {
    if (seq >= horizon) return seq;
    int i = Arrays.binarySearch(kept, seq);
    if (i >= 0) return seq;
    int next = -i - 1;
    return next < kept.length ? kept[next] : horizon;
  }

  /** How many entries are still stored below {@code seq}. */
  long storedBelow(long seq) {
    int i = Arrays.binarySearch(kept, Math.min(seq, horizon));
    long keptBelow = i >= 0 ? i : -i - 1;
    return keptBelow + Math.max(0, seq - horizon);
  }

  /** The state after {@code purge}, which moved the horizon to {@code purge.toSeq()} keeping {@code kept}. */
  PurgeHorizon after(Purge purge, long[] kept) {
    Purge[] all = purges.toArray(new Purge[purges.size() + 1]);
    all[purges.size()] = purge;
    return new PurgeHorizon(purge.toSeq(), kept, List.of(all));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PurgeHorizon p && p.horizon == horizon && Arrays.equals(p.kept, kept) && p.purges.equals(purges);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(horizon) * 31 + Arrays.hashCode(kept);
  }

  @Override
  public String toString() {
    return "PurgeHorizon[horizon=" + horizon + ", kept=" + kept.length + ", purges=" + purges.size() + "]";
  }
}
