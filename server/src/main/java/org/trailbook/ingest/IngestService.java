package org.trailbook.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.trailbook.Times;
import org.trailbook.TrailbookException;
import org.trailbook.event.EventBatchParser;
import org.trailbook.event.EventNormalizer;
import org.trailbook.event.RawEvent;
import org.trailbook.health.WriteActivity;
import org.trailbook.journal.AppendResult;
import org.trailbook.journal.EntryEncoder;
import org.trailbook.journal.EventStore;
import org.trailbook.journal.JournalUnavailableException;
import org.trailbook.journal.PendingEntry;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parses, validates, redacts and encodes a batch on the calling (virtual) thread, then hands it
 * to the store and waits until it is durable. A batch is all or nothing: one invalid event
 * rejects the request before anything is written.
 *
 * <p>The wait for durability has a deadline ({@link #ACK_TIMEOUT}): a journal whose writer failed
 * answers at once, but one that is stuck (a hung disk) must not hold requests for ever. Past the
 * deadline the request gets 503 saying the write may or may not be stored; resending the same ids
 * is safe (idempotency).
 */
public final class IngestService {
  private final EventStore store;
  private final EventBatchParser parser;
  private final EventNormalizer normalizer;
  /** How long a request waits for its group commit; normal commits take milliseconds. */
  public static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

  private final Clock clock;
  /** Clients' writes: background work paces itself while they come ({@link org.trailbook.health.BackgroundPace}). */
  private final WriteActivity activity = new WriteActivity();
  private final long ackTimeoutNanos;

  public IngestService(EventStore store, EventBatchParser parser, EventNormalizer normalizer, Clock clock) {
    this(store, parser, normalizer, clock, ACK_TIMEOUT);
  }

  /** With another deadline for the group commit: for tests. */
  public IngestService(EventStore store, EventBatchParser parser, EventNormalizer normalizer, Clock clock, Duration ackTimeout) {
    this.store = store;
    this.parser = parser;
    this.normalizer = normalizer;
    this.clock = clock;
    this.ackTimeoutNanos = ackTimeout.toNanos();
  }

  /** Stores the events of a request body for {@code workspace}; answers in request order. */
  public List<AppendResult> ingest(String workspace, byte[] body, EventBatchParser.Format format) {
    return append(workspace, parser.parse(body, format), true);
  }

  /** Whether clients are writing now (a request within the last quarter of a second). */
  public WriteActivity activity() {
    return activity;
  }

  /** Stores events the server itself records (such as key creation) through the same rules. */
  public List<AppendResult> record(String workspace, List<ObjectNode> events) {
    List<RawEvent> raw = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) raw.add(new RawEvent(i, events.get(i), 0));
    return append(workspace, raw, false);
  }

  private List<AppendResult> append(String workspace, List<RawEvent> raw, boolean fromClient) {
    if (fromClient) activity.touch();
    Instant now = clock.instant();
    List<ObjectNode> events = fromClient ? normalizer.normalizeFromClient(raw, now) : normalizer.normalize(raw, now);
    String receivedAt = Times.format(now);
    List<PendingEntry> pending = new ArrayList<>(events.size());
    for (ObjectNode e : events) pending.add(EntryEncoder.prepare(workspace, receivedAt, e));
    try {
      return store.append(workspace, pending).get(ackTimeoutNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TrailbookException t) throw t;
      throw new IllegalStateException("the journal failed the write", e.getCause());
    } catch (TimeoutException e) {
      throw new JournalUnavailableException("the journal did not confirm the write within " + TimeUnit.NANOSECONDS.toMillis(ackTimeoutNanos)
          + " ms; it may or may not be stored: resend it with the same ids", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JournalUnavailableException("interrupted while waiting for the journal; the write may or may not be stored", e);
    }
  }
}
