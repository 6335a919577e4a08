package org.trailbook.stream;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.trailbook.OverloadedException;
import org.trailbook.TrailbookException;
import org.trailbook.health.PartHealth;
import org.trailbook.health.Supervisor;
import org.trailbook.journal.FeedChanges;
import org.trailbook.journal.EventStore;
import org.trailbook.search.EventFilter;
import org.trailbook.search.EventSearch;

/**
 * Wakes live streams when their workspace's log grows, and counts them.
 *
 * <p>One dispatcher thread follows the store's commit feed (sizes kept in memory, starting at the sizes at start) and
 * bumps a per-workspace signal, which the workspace's streams wait on, for every workspace that grew; the writer only
 * commits, and streams are woken for commits of other nodes too when the feed comes from a shared store. A
 * woken stream reads its new entries itself (from the journal, or through the index when filtered): the journal is the
 * source of truth and nothing is pushed into unbounded queues.
 *
 * <p>The dispatcher runs under a {@link Supervisor} ({@link #health()}): a failure is logged once per streak and
 * retried; its change cursor advances only after a good turn, so the first turn after a recovery wakes the streams of
 * every workspace that grew meanwhile (and a woken stream reads everything it missed).
 *
 * <p>It also hands out the slots ({@link StreamSlots}: caps per node, workspace and credential) and ends the streams of
 * a revoked credential ({@link #revoked}).
 */
public final class StreamHub implements AutoCloseable {
  /** How long the dispatcher waits for a change before it ticks its progress (and how soon it notices close). */
  private static final Duration IDLE = Duration.ofMillis(250);

  private final EventStore store;
  private final EventSearch search;
  private final StreamConfig config;
  private final StreamSlots slots;
  private final Map<String, Signal> signals = new ConcurrentHashMap<>();
  /** The log size per workspace the dispatcher last saw; dispatcher thread only. */
  private final Map<String, Long> sizes = new HashMap<>();
  /** The dispatcher's change cursor; dispatcher thread only (set before it starts). */
  private long cursor;
  private final Supervisor dispatcher;
  private final PartHealth health = new PartHealth("stream_dispatcher", "the live stream dispatcher",
      "live streams are not woken for new events until it recovers", false);
  /** A fault to inject before each dispatcher turn (tests only; null in service). */
  volatile Supervisor.Step fault;
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong closedStreams = new AtomicLong();
  private final AtomicLong slowDisconnects = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong revokedClosed = new AtomicLong();
  private final AtomicLong lifetimeEnded = new AtomicLong();
  private final AtomicLong peakBuffered = new AtomicLong();
  private volatile boolean closed;

  public StreamHub(EventStore store, EventSearch search, StreamConfig config) {
    this.store = store;
    this.search = search;
    this.config = config;
    this.slots = new StreamSlots(config);
    FeedChanges now = store.changesSince(FeedChanges.ALL); // streams start from what exists: only growth wakes them
    this.sizes.putAll(now.sizes());
    this.cursor = now.cursor();
    this.dispatcher = Supervisor.loop("stream-dispatcher", health, this::dispatch);
  }

  public StreamConfig config() {
    return config;
  }

  /**
   * A stream of {@code filter}'s workspace after {@code position} (the seq of the last entry the client has, -1 for
   * none) for the credential {@code keyId}, holding one of its slots until it ends. {@code stillValid} answers whether
   * the credential may still be served; the stream asks it before every batch and heartbeat it queues.
   *
   * @throws OverloadedException when the node already serves {@link StreamConfig#maxStreams()} (503)
   * @throws TooManyStreamsException when the credential or the workspace holds its share already (429)
   */
  public LiveStream open(EventFilter filter, long position, String keyId, BooleanSupplier stillValid) {
    // up to a tenth less than the maximum lifetime: streams opened together (a deploy, a restart) then end spread out
    // instead of all reconnecting in the same second
    long lifetime = config.maxLifetime().toNanos();
    long deadline = System.nanoTime() + lifetime - ThreadLocalRandom.current().nextLong(lifetime / 10 + 1);
    LiveStream s = new LiveStream(this, filter, position, keyId, stillValid, deadline);
    try {
      slots.admit(s);
    } catch (TrailbookException e) {
      refused.incrementAndGet();
      throw e;
    }
    opened.incrementAndGet();
    return s;
  }

  /**
   * A credential was revoked: its open streams end now (nothing more is written to them, and a write in progress is
   * aborted), and every other stream re-checks its own credential at once (a page session may have ended with the key
   * that minted it).
   */
  public void revoked(String keyId) {
    for (LiveStream s : slots.ofKey(keyId)) s.revoke();
    signals.values().forEach(Signal::bump);
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

  /** The open streams of a credential. */
  List<LiveStream> streamsOf(String keyId) {
    return slots.ofKey(keyId);
  }

  /** Frees the stream's slot; counts it closed once however often it is called. */
  void ended(LiveStream s) {
    if (slots.release(s)) closedStreams.incrementAndGet();
  }

  void countRevoked() {
    revokedClosed.incrementAndGet();
  }

  void countLifetimeEnded() {
    lifetimeEnded.incrementAndGet();
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

  /** Streams ended since start (client gone, slow consumer, revoked, lifetime over, or shutdown). */
  public long closedTotal() {
    return closedStreams.get();
  }

  /** Streams open now (holding a slot). */
  public long active() {
    return slots.active();
  }

  /** Opens refused by a cap (node, workspace or credential). */
  public long refusedTotal() {
    return refused.get();
  }

  /** Streams ended because their credential was revoked or stopped being valid. */
  public long revokedTotal() {
    return revokedClosed.get();
  }

  /** Streams ended (with {@code event: resume}) because they reached their maximum lifetime. */
  public long lifetimeEndedTotal() {
    return lifetimeEnded.get();
  }

  /** Streams cut off because their client did not keep up. */
  public long slowDisconnects() {
    return slowDisconnects.get();
  }

  /** The most bytes any stream ever buffered: stays within {@link StreamConfig#bufferBytes()} plus one message. */
  public long peakBufferedBytes() {
    return peakBuffered.get();
  }

  /**
   * One turn of the dispatcher: wake the streams of every workspace that grew since its cursor, then wait for the next
   * change (at most a quarter second, so the part shows progress and notices close). The cursor moves only after the
   * streams were woken: a turn that failed is redone by the next one.
   */
  private void dispatch() throws Exception {
    Supervisor.Step f = fault;
    if (f != null) f.run();
    FeedChanges changes = store.changesSince(cursor);
    changes.sizes().forEach((ws, size) -> {
      Long known = sizes.put(ws, size);
      if (known != null && known >= size) return; // named again (the feed may repeat a workspace): nothing new
      Signal s = signals.get(ws);
      if (s != null) s.bump();
    });
    cursor = changes.cursor();
    health.progressed();
    if (!closed) store.awaitChange(cursor, IDLE);
  }

  /** The dispatcher's health: live streams only, writes do not depend on it. */
  public PartHealth health() {
    return health;
  }

  @Override
  public void close() {
    closed = true;
    dispatcher.close();
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
