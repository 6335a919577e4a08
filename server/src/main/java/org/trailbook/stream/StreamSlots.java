package org.trailbook.stream;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.trailbook.OverloadedException;

/**
 * Who holds which live-stream slot: the open streams by credential (so a revoked key's streams can be found and
 * closed) and the counts per workspace and per node, checked against their caps.
 *
 * <p>One lock over all three: admission must check and take a slot in one step (checking a counter and then raising it
 * lets a burst of concurrent opens all pass the check), and streams open and close far less often than they deliver,
 * so the lock is never on a hot path.
 */
final class StreamSlots {
  /** Seconds a refused client is asked to wait: slots free up as streams end, which nothing here can predict. */
  static final int RETRY_AFTER_SECONDS = 5;

  private final StreamConfig config;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Set<LiveStream>> byKey = new HashMap<>();
  private final Map<String, Integer> byWorkspace = new HashMap<>();
  private int active;

  StreamSlots(StreamConfig config) {
    this.config = config;
  }

  /**
   * Gives {@code s} a slot, or refuses: the node's cap first (503: the server is full), then the credential's and the
   * workspace's (429: this caller has its share).
   */
  void admit(LiveStream s) {
    lock.lock();
    try {
      if (active >= config.maxStreams()) {
        throw new OverloadedException("this node already serves " + config.maxStreams()
            + " live streams, its limit (TRAILBOOK_STREAM_MAX); retry shortly", RETRY_AFTER_SECONDS);
      }
      Set<LiveStream> mine = byKey.get(s.keyId());
      if (mine != null && mine.size() >= config.maxPerKey()) {
        throw new TooManyStreamsException("this credential already has " + mine.size()
            + " open live streams, the most one credential may hold (TRAILBOOK_STREAM_MAX_PER_KEY); close one first", RETRY_AFTER_SECONDS);
      }
      int inWorkspace = byWorkspace.getOrDefault(s.workspace(), 0);
      if (inWorkspace >= config.maxPerWorkspace()) {
        throw new TooManyStreamsException("this workspace already has " + inWorkspace
            + " open live streams, the most one workspace may hold (TRAILBOOK_STREAM_MAX_PER_WORKSPACE); close one first", RETRY_AFTER_SECONDS);
      }
      byKey.computeIfAbsent(s.keyId(), k -> new LinkedHashSet<>()).add(s);
      byWorkspace.merge(s.workspace(), 1, Integer::sum);
      active++;
    } finally {
      lock.unlock();
    }
  }

  /** Frees {@code s}'s slot; false if it held none (already released, or never admitted). */
  boolean release(LiveStream s) {
    lock.lock();
    try {
      Set<LiveStream> mine = byKey.get(s.keyId());
      if (mine == null || !mine.remove(s)) return false;
      if (mine.isEmpty()) byKey.remove(s.keyId());
      byWorkspace.computeIfPresent(s.workspace(), (w, n) -> n == 1 ? null : n - 1);
      active--;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The open streams of a credential. */
  List<LiveStream> ofKey(String keyId) {
    lock.lock();
    try {
      Set<LiveStream> mine = byKey.get(keyId);
      return mine == null ? List.of() : List.copyOf(mine);
    } finally {
      lock.unlock();
    }
  }

  int active() {
    lock.lock();
    try {
      return active;
    } finally {
      lock.unlock();
    }
  }
}
