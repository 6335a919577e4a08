package org.trailbook.stream;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.trailbook.OverloadedException;
import org.trailbook.journal.CommittedEntry;
import org.trailbook.journal.EventStore;
import org.trailbook.search.EventFilter;
import org.trailbook.search.EventSearch;

/**
 * Wakes live streams when their workspace's log grows, and counts them.
 *
 * <p>The journal's commit listener only marks the workspaces that grew and unparks one dispatcher thread, so ingest
 * never waits for subscribers; the dispatcher bumps a per-workspace signal that the workspace's streams wait on. A
 * woken stream reads its new entries itself (from the journal, or through the index when filtered): the journal is the
 * source of truth and nothing is pushed into unbounded queues.
 */
public final class StreamHub implements AutoCloseable {
  private final EventStore store;
  private final EventSearch search;
  private final StreamConfig config;
  private final Map<String, Signal> signals = new ConcurrentHashMap<>();
  private final Set<String> grown = ConcurrentHashMap.newKeySet();
  private final Thread dispatcher;
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong closedStreams = new AtomicLong();
  private final AtomicLong slowDisconnects = new AtomicLong();
  private final AtomicLong peakBuffered = new AtomicLong();
  private volatile boolean closed;

  public StreamHub(EventStore store, EventSearch search, StreamConfig config) {
    this.store = store;
    this.search = search;
    this.config = config;
    this.dispatcher = Thread.ofPlatform().name("stream-dispatcher").daemon().unstarted(this::dispatch);
    dispatcher.start();
    store.addListener(this::committed);
  }

  public StreamConfig config() {
    return config;
  }

  /**
   * A stream of {@code filter}'s workspace after {@code position} (the seq of the last entry the client has, -1 for
   * none). Throws {@link OverloadedException} when the node already serves {@link StreamConfig#maxStreams()}.
   */
  public LiveStream open(EventFilter filter, long position) {
    if (active() >= config.maxStreams()) {
      throw new OverloadedException("this node already serves " + config.maxStreams() + " live streams; retry shortly", 5);
    }
    opened.incrementAndGet();
    return new LiveStream(this, filter, position);
  }

  /** The seq of the workspace's last entry, -1 when it has none: where a stream without a resume point starts. */
  public long lastSeq(String workspace) {
    return store.size(workspace) - 1;
  }

  EventStore store() {
    return store;
  }

  EventSearch search() {
    return search;
  }

  boolean closed() {
    return closed;
  }

  Signal signal(String workspace) {
    return signals.computeIfAbsent(workspace, w -> new Signal());
  }

  void ended() {
    closedStreams.incrementAndGet();
  }

  /** A stream's reader gave up on its client: counted at once, while the final message may still be on its way. */
  void cutOff() {
    slowDisconnects.incrementAndGet();
  }

  AtomicLong peakBuffered() {
    return peakBuffered;
  }

  /** Streams opened since start. */
  public long openedTotal() {
    return opened.get();
  }

  /** Streams ended since start (client gone, slow consumer, or shutdown). */
  public long closedTotal() {
    return closedStreams.get();
  }

  /** Streams open now. */
  public long active() {
    return opened.get() - closedStreams.get();
  }

  /** Streams cut off because their client did not keep up. */
  public long slowDisconnects() {
    return slowDisconnects.get();
  }

  /** The most bytes any stream ever buffered: stays within {@link StreamConfig#bufferBytes()} plus one message. */
  public long peakBufferedBytes() {
    return peakBuffered.get();
  }

  /** On the journal's writer thread: mark and hand off, never block. */
  private void committed(List<CommittedEntry> entries) {
    String last = null;
    for (CommittedEntry e : entries) {
      if (!e.workspace().equals(last)) grown.add(e.workspace());
      last = e.workspace();
    }
    LockSupport.unpark(dispatcher);
  }

  private void dispatch() {
    while (!closed) {
      LockSupport.park(this);
      for (String ws : grown) {
        grown.remove(ws);
        Signal s = signals.get(ws);
        if (s != null) s.bump();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(dispatcher);
    signals.values().forEach(Signal::bump);
  }

  /** A per-workspace version that streams wait on; bumped whenever the log grew (or a stream of it must look again). */
  static final class Signal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long version;

    long version() {
      lock.lock();
      try {
        return version;
      } finally {
        lock.unlock();
      }
    }

    void bump() {
      lock.lock();
      try {
        version++;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /** Waits until the version is no longer {@code seen}, at most {@code nanos}; returns whether it changed. */
    boolean await(long seen, long nanos) throws InterruptedException {
      lock.lock();
      try {
        while (version == seen && nanos > 0) nanos = changed.awaitNanos(nanos);
        return version != seen;
      } finally {
        lock.unlock();
      }
    }
  }
}
