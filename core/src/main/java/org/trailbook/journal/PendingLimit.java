package org.trailbook.journal;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.trailbook.OverloadedException;

/**
 * The bound on what waits for a store's writer, in events and in bytes (large events must not exhaust the heap
 * either): a batch takes its share when it is appended and gives it back once it is answered. Beyond the bound an
 * append is refused at once with {@link OverloadedException} (503 + Retry-After), never queued without limit.
 */
public final class PendingLimit {
  private final String store;
  private final int maxEvents;
  private final long maxBytes;
  private final AtomicInteger events = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();

  /** {@code store} names the store in refusals ("the journal", "the store"). */
  public PendingLimit(String store, int maxEvents, long maxBytes) {
    this.store = store;
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
  }

  /** Takes the batch's share, or throws naming the bound it would pass; answers the bytes taken (give them back with {@link #give}). */
  public long take(List<PendingEntry> entries) {
    long size = 0;
    for (PendingEntry e : entries) size += e.approximateSize();
    if (events.addAndGet(entries.size()) > maxEvents) {
      events.addAndGet(-entries.size());
      throw new OverloadedException(store + " is " + maxEvents + " events behind; retry shortly", 1);
    }
    if (bytes.addAndGet(size) > maxBytes) {
      bytes.addAndGet(-size);
      events.addAndGet(-entries.size());
      throw new OverloadedException(store + " has " + (maxBytes >> 20) + " MiB of events waiting; retry shortly", 1);
    }
    return size;
  }

  /** Gives back what a batch took. */
  public void give(int batchEvents, long batchBytes) {
    events.addAndGet(-batchEvents);
    bytes.addAndGet(-batchBytes);
  }

  /** Events taken and not given back: what is waiting now. */
  public int events() {
    return events.get();
  }
}
