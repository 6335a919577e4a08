package org.trailbook.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
 * </pre>
 *
 * Every {@code id} is a cursor: the seq up to which the client has everything (that matches); reconnecting with it as
 * {@code Last-Event-ID} continues exactly after it.
 */
public final class LiveStream {
  private static final Logger log = LoggerFactory.getLogger(LiveStream.class);
  private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

  /** Where the messages go: the HTTP response. */
  public interface Sink {
    void write(byte[] bytes) throws IOException;

    void flush() throws IOException;
  }

  private final StreamHub hub;
  private final EventFilter filter;
  private final String workspace;
  private final Outbox outbox;
  /** The seq through which every (matching) entry has been queued. */
  private long position;
  private long lastQueued = System.nanoTime();

  LiveStream(StreamHub hub, EventFilter filter, long position) {
    this.hub = hub;
    this.filter = filter;
    this.workspace = filter.workspace();
    this.position = position;
    this.outbox = new Outbox(hub.config().bufferBytes(), hub.peakBuffered());
  }

  /** Streams until the client goes away, falls behind, or the server stops; always on the request's thread. */
  public void run(Sink sink) {
    Thread reader = Thread.ofVirtual().name("stream-reader-" + workspace).start(this::read);
    try {
      byte[] m;
      while ((m = outbox.take()) != null) {
        sink.write(m);
        if (outbox.isEmpty()) sink.flush();
      }
      sink.flush();
    } catch (IOException e) {
      outbox.abort(); // the client went away
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
      hub.ended();
    }
  }

  private void read() {
    try {
      if (!queue(message("ready", position, "{\"cursor\":\"" + position + "\"}"), 0)) return;
      StreamHub.Signal signal = hub.signal(workspace);
      long heartbeat = hub.config().heartbeat().toNanos();
      while (!outbox.aborted() && !hub.closed()) {
        long seen = signal.version();
        long size = hub.store().size(workspace);
        if (position + 1 < size) {
          if (!deliver(size)) return;
          continue;
        }
        long idle = System.nanoTime() - lastQueued;
        if (idle >= heartbeat) {
          if (!queue(KEEP_ALIVE, 0) && outbox.aborted()) return;
          lastQueued = System.nanoTime();
          continue;
        }
        signal.await(seen, heartbeat - idle);
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
      List<Entry> entries = store.read(workspace, position + 1, Math.min(size, position + 1 + batch));
      for (Entry e : entries) if (!queueEntry(e)) return false;
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
      List<Entry> one = store.read(workspace, seq, seq + 1);
      if (!one.isEmpty() && !queueEntry(one.getFirst())) return false;
    }
    if (seqs.length < batch) position = Math.max(position, upTo - 1); // nothing else below upTo matches
    return true;
  }

  private boolean queueEntry(Entry e) throws InterruptedException {
    if (!queue(entryMessage(e), hub.config().slowConsumerTimeout().toNanos())) {
      if (!outbox.aborted()) {
        hub.cutOff();
        outbox.finish(message("resume", position, "{\"reason\":\"slow_consumer\",\"cursor\":\"" + position
            + "\",\"message\":\"the client did not keep up; reconnect with Last-Event-ID " + position + " to continue\"}"));
      }
      return false;
    }
    position = e.seq();
    return true;
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
