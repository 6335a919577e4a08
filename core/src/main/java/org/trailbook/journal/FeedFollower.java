package org.trailbook.journal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Follows a {@link CommitFeed} for one consumer of the log (the trees, the search index, and later
 * forwarders, alerts, the purger): asks which workspaces grew since its change cursor, reads each
 * one's entries past the consumer's position in bounded chunks, and hands them over in seq order.
 *
 * <p>The consumer owns its positions and persists them as it sees fit ({@link Consumer#position}
 * is asked once per grown workspace per step); the follower keeps only the change cursor, in
 * memory. A follower therefore starts (or restarts) from {@link FeedChanges#ALL}: the first step
 * compares every workspace with the consumer's positions, so a consumer that restarts from its
 * persisted positions sees nothing twice and misses nothing. The cursor advances only once a whole
 * step delivered: a step cut short by a failure is redone from the same cursor (and the consumer's
 * positions say what it already has).
 *
 * <p>Not thread-safe: one thread (usually a {@code Supervisor} loop) calls {@link #step}.
 */
public final class FeedFollower {
  /** The most entries read and handed over at once, so a consumer catching up holds bounded memory. */
  public static final int DEFAULT_CHUNK = 2_000;

  /** What follows the log. Called on the follower's thread only. */
  public interface Consumer {
    /**
     * The next seq the consumer needs from {@code workspace} (0 for one it never saw; {@link
     * Long#MAX_VALUE} for one it does not follow, such as a workspace refused for integrity).
     */
    long position(String workspace);

    /**
     * The entries of {@code workspace} from {@link #position} on, in seq order, at most one chunk.
     * When this returns, the consumer holds them: its position must have moved past them (to make
     * that durable is its own business). Throwing ends the step; the next step starts again from
     * the consumer's position.
     */
    void accept(String workspace, List<Entry> entries) throws Exception;

    /**
     * Seqs {@code [from, to)} of {@code workspace}, from {@link #position} on, were purged (see {@link EventStore#purge}):
     * the log no longer holds them, only their leaf hashes ({@link EventStore#purgedLeaves}). When this returns the
     * consumer's position must have moved past them. By default nothing is done: a consumer whose position follows the
     * entries it accepted moves past the purged seqs with the next entry (there always is one: a purge never reaches
     * the log's end).
     */
    default void purged(String workspace, long from, long to) throws Exception {}
  }

  private final CommitFeed feed;
  private final Consumer consumer;
  private final int chunk;
  private long cursor = FeedChanges.ALL;
  private volatile boolean stopping;

  public FeedFollower(CommitFeed feed, Consumer consumer) {
    this(feed, consumer, DEFAULT_CHUNK);
  }

  public FeedFollower(CommitFeed feed, Consumer consumer, int chunk) {
    if (chunk < 1) throw new IllegalArgumentException("chunk must be at least 1");
    this.feed = feed;
    this.consumer = consumer;
    this.chunk = chunk;
  }

  /**
   * Hands the consumer everything that grew since the last step, then waits up to {@code wait} for
   * the next change (returning at once if there is one already).
   *
   * @return how many entries were handed over
   */
  public long step(Duration wait) throws Exception {
    long delivered = deliver();
    await(wait);
    return delivered;
  }

  /** One pass without waiting: every workspace that may have grown, each caught up to the size the feed named. */
  public long deliver() throws Exception {
    if (stopping) return 0;
    FeedChanges changes = feed.changesSince(cursor);
    long delivered = 0;
    // sorted: a deterministic order, so a step redone after a failure takes the same path
    for (Map.Entry<String, Long> grown : new TreeMap<>(changes.sizes()).entrySet()) {
      String ws = grown.getKey();
      long size = grown.getValue();
      long from = consumer.position(ws);
      // reads leave purged seqs out: those below the horizon (read before the entries, so a purge meanwhile only
      // shows as a hole above it, which ends this workspace's turn; the next step sees the new horizon) are handed
      // over as purged, the runs of entries between them as usual
      long horizon = from < size && feed instanceof EventStore store ? store.purgedBefore(ws) : 0;
      while (from < size) {
        if (stopping) return delivered; // the cursor stays: the next run starts from the positions
        long end = Math.min(size, from + chunk);
        List<Entry> entries = feed.readTail(ws, from, end);
        long at = from; // the next seq expected
        int run = 0; // where the current run of consecutive entries starts
        boolean clamped = false;
        for (int i = 0; i < entries.size(); i++) {
          long seq = entries.get(i).seq();
          if (seq == at) {
            at++;
            continue;
          }
          if (i > run) consumer.accept(ws, entries.subList(run, i));
          delivered += i - run;
          run = i;
          if (seq > horizon) { // missing seqs at or above the horizon are not purged: stop here
            clamped = true;
            break;
          }
          consumer.purged(ws, at, seq);
          at = seq + 1;
        }
        if (!clamped) {
          if (run < entries.size()) consumer.accept(ws, entries.subList(run, entries.size()));
          delivered += entries.size() - run;
          long purgedTo = Math.min(end, horizon);
          if (at < purgedTo) {
            consumer.purged(ws, at, purgedTo);
            at = purgedTo;
          }
        }
        // clamped: cannot happen for a size the feed named, but never spin; a purge that ran meanwhile (a hole above the
        // horizon read) is followed by its record's append, which names the workspace again
        if (clamped || at < end) break;
        from = end;
      }
    }
    cursor = changes.cursor();
    return delivered;
  }

  /** Waits up to {@code wait} for a change after the cursor (at once if there is one); true if there may be news. */
  public boolean await(Duration wait) throws InterruptedException {
    if (stopping || wait.isZero()) return false;
    return feed.awaitChange(cursor, wait);
  }

  /** Forgets the change cursor: the next step compares every workspace with the consumer's positions again. */
  public void rewind() {
    cursor = FeedChanges.ALL;
  }

  /** Ends the current step at its next chunk and makes later steps return at once (from any thread). */
  public void stop() {
    stopping = true;
  }
}
