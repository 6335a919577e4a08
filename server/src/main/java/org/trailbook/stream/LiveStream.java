package org.trailbook.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;
import org.trailbook.search.EventFilter;
import org.trailbook.search.SearchIndex;

/**
 * One subscriber's Server-Sent Events stream, in log order (seq ascending) after a position.
 *
 * <p>Two threads: a reader (a virtual thread started here) reads new entries — straight from the journal when the
 * stream is unfiltered, else the matching seqs from the search index once it shows them — and queues SSE messages in a
 * bounded {@link Outbox}; the calling thread writes them to the socket. Messages:
 *
 * <pre>
 * event: ready    id: &lt;position&gt;   data: {"cursor":"&lt;position&gt;"}     first, once
 * event: entry    id: &lt;seq&gt;        data: &lt;the canonical entry&gt;
 * : keep-alive                                                   after every heartbeat interval of silence
 * event: resume   id: &lt;position&gt;   data: {"reason":"slow_consumer",…}  last, when the client did not keep up
 * event: resume   id: &lt;position&gt;   data: {"reason":"max_lifetime",…}   last, when the stream reached its lifetime
 * </pre>
 *
 * Every {@code id} is a cursor: the seq up to which the client has everything (that matches); reconnecting with it as
 * {@code Last-Event-ID} continues exactly after it.
 *
 * <p><b>Credentials.</b> The stream belongs to one credential and holds one of its slots until it ends ({@link
 * #close}). The reader asks {@code stillValid} before every batch and every heartbeat, after reading the log's size:
 * everything below that size was committed before the question was asked, so an entry committed after a revocation
 * can never pass a check that preceded it. A revoked stream ends without a final message (the reconnect's 401 says
 * why): {@link #revoke} drops whatever is queued, and the writer either sees the revocation before it writes or is
 * aborted mid-write, so a client that stopped reading cannot keep the stream open either.
 */
public final class LiveStream implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveStream.class);
  private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

  /** Where the messages go: the HTTP response. */
  public interface Sink {
    void write(byte[] bytes) throws IOException;

    void flush() throws IOException;

    /** Ends the response at once from another thread, failing a write that is blocked on the client. */
    void abort();
  }

  private final StreamHub hub;
  private final EventFilter filter;
  private final String workspace;
  private final String keyId;
  private final BooleanSupplier stillValid;
  /** {@link System#nanoTime()} at which the stream ends with {@code event: resume}. */
  private final long deadline;
  private final Outbox outbox;
  private final AtomicBoolean revoked = new AtomicBoolean();
  /** {@link System#nanoTime()} (made non-zero) when the writer entered its current write or flush, 0 outside one. */
  private volatile long writingSince;
  private volatile Sink sink;
  /** The seq through which every (matching) entry has been queued. */
  private long position;
  private long lastQueued = System.nanoTime();

  LiveStream(StreamHub hub, EventFilter filter, long position, String keyId, BooleanSupplier stillValid, long deadline) {
    this.hub = hub;
    this.filter = filter;
    this.workspace = filter.workspace();
    this.keyId = keyId;
    this.stillValid = stillValid;
    this.deadline = deadline;
    this.position = position;
    this.outbox = new Outbox(hub.config().bufferBytes(), hub.peakBuffered());
  }

  String keyId() {
    return keyId;
  }

  String workspace() {
    return workspace;
  }

  /**
   * Streams until the client goes away, falls behind, the credential is revoked, the lifetime is over, or the server
   * stops; always on the request's thread. Frees the stream's slot when it returns.
   */
  public void run(Sink sink) {
    this.sink = sink;
    // the reader's log lines carry the request's id too (the MDC is per thread)
    java.util.Map<String, String> mdc = org.slf4j.MDC.getCopyOfContextMap();
    Thread reader = Thread.ofVirtual().name("stream-reader-" + workspace).start(() -> {
      if (mdc != null) org.slf4j.MDC.setContextMap(mdc);
      read();
    });
    try {
      byte[] m;
      while ((m = outbox.take()) != null) {
        if (!write(sink, m)) break;
      }
      if (!revoked.get()) sink.flush();
    } catch (IOException e) {
      outbox.abort(); // the client went away (or the response was aborted)
    } catch (InterruptedException e) {
      outbox.abort();
      Thread.currentThread().interrupt();
    } finally {
      outbox.abort();
      hub.signal(workspace).bump(); // let the reader see it at once instead of at its next heartbeat
      try {
        reader.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      close();
    }
  }

  /** Writes one message, flushing when nothing else waits; false when the credential was revoked. */
  private boolean write(Sink sink, byte[] m) throws IOException {
    // A handshake with revoke() over two volatiles: revoke() sets `revoked` then reads `writingSince`; this sets
    // `writingSince` then reads `revoked`. One of them sees the other, so either nothing is written after the
    // revocation or the write in progress is aborted: a write blocked on a client that stopped reading cannot outlive
    // it.
    writingSince = System.nanoTime() | 1;
    try {
      if (revoked.get()) return false;
      sink.write(m);
      if (outbox.isEmpty()) sink.flush();
      return true;
    } finally {
      writingSince = 0;
    }
  }

  /** How long the writer has been inside one write (0 when it is not in one): a client that stopped reading shows here. */
  long writingForNanos() {
    long since = writingSince;
    return since == 0 ? 0 : Math.max(1, System.nanoTime() - since);
  }

  /** Frees the stream's slot (once; later calls do nothing). The request's handler calls it if {@link #run} never ran. */
  @Override
  public void close() {
    hub.ended(this);
  }

  /**
   * Ends the stream because its credential is no longer valid: nothing queued is written, and a write in progress is
   * aborted. From the revocation listener or the reader.
   */
  void revoke() {
    if (!revoked.compareAndSet(false, true)) return;
    hub.countRevoked();
    outbox.abort(); // drops what is queued; the writer's next take() ends the loop
    hub.signal(workspace).bump(); // the reader stops waiting
    Sink s = sink;
    if (s != null && writingSince != 0) {
      try {
        s.abort();
      } catch (RuntimeException e) {
        log.debug("aborting a revoked stream's response failed", e);
      }
    }
  }

  /** Whether the credential may still be served; ends the stream if not. */
  private boolean credentialValid() {
    if (revoked.get()) return false;
    if (stillValid.getAsBoolean()) return true;
    revoke();
    return false;
  }

  private void read() {
    try {
      if (!credentialValid()) return;
      if (!queue(message("ready", position, "{\"cursor\":\"" + position + "\"}"), 0)) return;
      StreamHub.Signal signal = hub.signal(workspace);
      long heartbeat = hub.config().heartbeat().toNanos();
      while (!outbox.aborted() && !hub.closed()) {
        long seen = signal.version();
        long size = hub.store().size(workspace); // first the size, then the check (see the class comment)
        if (!credentialValid()) return;
        long now = System.nanoTime();
        if (deadline - now <= 0) {
          endOfLifetime();
          return;
        }
        if (position + 1 < size) {
          if (!deliver(size)) return;
          continue;
        }
        long idle = now - lastQueued;
        if (idle >= heartbeat) {
          if (!queue(KEEP_ALIVE, 0) && outbox.aborted()) return;
          lastQueued = System.nanoTime();
          continue;
        }
        signal.await(seen, Math.min(heartbeat - idle, deadline - now));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("live stream of workspace {} failed", workspace, e);
    } finally {
      outbox.finish(null);
    }
  }

  /** Queues the entries after {@link #position} below {@code size}, one batch; false once the stream must end. */
  private boolean deliver(long size) throws InterruptedException {
    EventStore store = hub.store();
    int batch = hub.config().batch();
    if (filter.matchesAll()) {
      long end = Math.min(size, position + 1 + batch);
      List<Entry> entries = store.readTail(workspace, position + 1, end); // the newest entries: from memory
      for (Entry e : entries) if (!queueEntry(e)) return false;
      position = Math.max(position, end - 1); // reads leave purged seqs out: every seq below end was sent or is gone
      return true;
    }
    SearchIndex index = hub.search().index();
    if (!index.awaitVisible(workspace, position + 2, hub.config().heartbeat())) {
      // the index is far behind (rebuilding): keep the connection alive meanwhile
      return queue(KEEP_ALIVE, 0) || !outbox.aborted();
    }
    long upTo = Math.min(size, index.visible(workspace));
    long[] seqs = hub.search().seqs(filter, position, upTo, batch);
    for (long seq : seqs) {
      List<Entry> one = store.readTail(workspace, seq, seq + 1);
      if (!one.isEmpty() && !queueEntry(one.getFirst())) return false;
    }
    if (seqs.length < batch) position = Math.max(position, upTo - 1); // nothing else below upTo matches
    return true;
  }

  private boolean queueEntry(Entry e) throws InterruptedException {
    if (!queue(entryMessage(e), hub.config().slowConsumerTimeout().toNanos())) {
      if (!outbox.aborted()) {
        hub.cutOff();
        outbox.finish(resume("slow_consumer", "the client did not keep up"));
      }
      return false;
    }
    position = e.seq();
    return true;
  }

  /**
   * The lifetime is over: {@code event: resume} after everything already queued, exactly like the slow-consumer cut,
   * so the client reconnects with its id and misses nothing. (A reconnect authenticates again, which is the point.)
   */
  private void endOfLifetime() {
    hub.countLifetimeEnded();
    outbox.finish(resume("max_lifetime", "the stream reached its maximum lifetime"));
  }

  private byte[] resume(String reason, String why) {
    return message("resume", position, "{\"reason\":\"" + reason + "\",\"cursor\":\"" + position + "\",\"message\":\"" + why
        + "; reconnect with Last-Event-ID " + position + " to continue\"}");
  }

  private boolean queue(byte[] message, long timeoutNanos) throws InterruptedException {
    boolean ok = outbox.offer(message, timeoutNanos);
    if (ok) lastQueued = System.nanoTime();
    return ok;
  }

  static byte[] entryMessage(Entry e) {
    byte[] head = ("event: entry\nid: " + e.seq() + "\ndata: ").getBytes(StandardCharsets.US_ASCII);
    byte[] c = e.canonical();
    byte[] out = new byte[head.length + c.length + 2];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(c, 0, out, head.length, c.length);
    out[out.length - 2] = '\n';
    out[out.length - 1] = '\n';
    return out;
  }

  private static byte[] message(String event, long id, String data) {
    return ("event: " + event + "\nid: " + id + "\nretry: 1000\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }
}
