package org.trailbook.journal;

import java.time.Duration;
import java.util.List;

/**
 * The pollable commit feed: how every part derived from the log (trees and the signer, the search
 * index, live streams, forwarders, alerts, the purger) learns of new entries, on any backend.
 * Nothing is pushed and the writer only commits: a consumer keeps its own position per workspace
 * (persisted where it must survive a restart), asks which workspaces grew since its change cursor,
 * reads the entries it has not seen yet, and so can lag, catch up and restart.
 *
 * <p>A consumer's loop: {@code c = changesSince(cursor)}; for every workspace in {@code c.sizes()}
 * whose size is beyond the consumer's position, {@link #read} the missing entries; {@code cursor =
 * c.cursor()}; then {@link #awaitChange}. A new consumer (or one restarting) starts from {@link
 * FeedChanges#ALL}, which names every workspace that has entries.
 */
public interface CommitFeed {

  /** How many entries the workspace's log holds (its tree size): seqs {@code 0 .. size-1} are durable and readable. */
  long size(String workspace);

  /**
   * Entries with {@code from <= seq < to}, in seq order (clamped to the log's size), as stored (checked on
   * the way); entries removed by a purge are left out, so consumers take each entry's seq from the entry.
   */
  List<Entry> read(String workspace, long from, long to);

  /**
   * As {@link #read}, for consumers following the feed: the newest entries may come from a cache of
   * what was just committed (their bytes shared with other readers: never modify them), so this is
   * no check of what is stored; scrubs and verification use {@link #read}.
   */
  default List<Entry> readTail(String workspace, long from, long to) {
    return read(workspace, from, to);
  }

  /**
   * The workspaces whose logs may have grown after {@code cursor}, each with its size as now seen,
   * and the cursor to ask from next. Never misses a workspace that grew; may name one more than once
   * across calls, or one that did not grow (consumers compare sizes with their positions). A cursor
   * older than the feed remembers, or {@link FeedChanges#ALL}, answers with every workspace.
   */
  FeedChanges changesSince(long cursor);

  /**
   * Waits until a change after {@code cursor} may be visible, or until {@code timeout} elapsed.
   * Returns at once when there is one. True when {@link #changesSince} may have news.
   */
  boolean awaitChange(long cursor, Duration timeout) throws InterruptedException;
}
