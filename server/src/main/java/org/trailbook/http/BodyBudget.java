package org.trailbook.http;

import java.util.HashMap;
import java.util.Map;
import org.trailbook.OverloadedException;

/**
 * Bounds the request bodies held in memory at once, and shares that bound fairly: with virtual
 * threads nothing else limits how many uploads are read concurrently, so without it a burst of
 * large bodies could exhaust the heap. A request reserves its declared length (or its route's body
 * limit when it declares none) before the first byte of its body is read (see {@link GatedBody}),
 * and gives it back when the request is over.
 *
 * <p>Each holder (a workspace, or the platform admin) may hold at most {@code sharePercent} of the
 * budget, so one tenant holding many slow uploads cannot make another tenant's ingest answer 503.
 * A share never goes below one largest body, or that body could never be admitted. Either refusal
 * is a 503 with {@code Retry-After}; the message says whether it was the caller's share or the
 * whole server's budget that was spent.
 */
final class BodyBudget {
  private static final int UNIT = 1024;
  private final long totalUnits;
  private final long shareUnits;
  private final long budgetBytes;
  private final long shareBytes;
  private final int sharePercent;
  private long held;
  private final Map<String, Long> byHolder = new HashMap<>();

  BodyBudget(long budgetBytes, long maxBodyBytes, int sharePercent) {
    if (budgetBytes < maxBodyBytes) throw new IllegalArgumentException("the in-flight budget must hold at least one largest body");
    if (sharePercent < 1 || sharePercent > 100) throw new IllegalArgumentException("the share of one workspace must be from 1 to 100 percent");
    this.budgetBytes = budgetBytes;
    this.sharePercent = sharePercent;
    this.shareBytes = Math.max(maxBodyBytes, budgetBytes * sharePercent / 100);
    // rounded up, like each reservation: a body of exactly the share (or budget) in bytes must fit
    this.totalUnits = (budgetBytes + UNIT - 1) / UNIT;
    this.shareUnits = (shareBytes + UNIT - 1) / UNIT;
  }

  /** A reservation, released when the request is done with its body; closing it twice is harmless. */
  interface Reservation extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Reserves room for a body of {@code bytes} for {@code holder} (a workspace id, or a fixed name
   * for callers without one); {@code who} names the holder in the refusal message.
   */
  synchronized Reservation reserve(String holder, String who, long bytes) {
    long units = Math.max(1, (bytes + UNIT - 1) / UNIT);
    long mine = byHolder.getOrDefault(holder, 0L);
    if (mine + units > shareUnits) {
      throw new OverloadedException("the share of " + who + " in the server's request-body memory is in use: its uploads in progress hold "
          + mine * UNIT + " of its " + shareBytes + " bytes (" + sharePercent + "% of " + budgetBytes
          + "); retry when one of them is done", 1);
    }
    if (held + units > totalUnits) {
      throw new OverloadedException("too many request bodies are being read at once on this server (its budget is " + budgetBytes
          + " bytes); retry shortly", 1);
    }
    held += units;
    byHolder.put(holder, mine + units);
    boolean[] released = {false};
    return () -> release(holder, units, released);
  }

  private synchronized void release(String holder, long units, boolean[] released) {
    if (released[0]) return;
    released[0] = true;
    held -= units;
    byHolder.computeIfPresent(holder, (h, n) -> n - units == 0 ? null : n - units);
  }

  /** Bytes reserved right now, over all holders. */
  synchronized long heldBytes() {
    return held * UNIT;
  }
}
