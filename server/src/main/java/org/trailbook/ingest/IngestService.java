package org.trailbook.ingest;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.trailbook.Times;
import org.trailbook.TrailbookException;
import org.trailbook.event.EventBatchParser;
import org.trailbook.event.EventNormalizer;
import org.trailbook.event.RawEvent;
import org.trailbook.journal.AppendResult;
import org.trailbook.journal.EntryEncoder;
import org.trailbook.journal.EventStore;
import org.trailbook.journal.PendingEntry;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parses, validates, redacts and encodes a batch on the calling (virtual) thread, then hands it
 * to the store and waits until it is durable. A batch is all or nothing: one invalid event
 * rejects the request before anything is written.
 */
public final class IngestService {
  private final EventStore store;
  private final EventBatchParser parser;
  private final EventNormalizer normalizer;
  private final Clock clock;

  public IngestService(EventStore store, EventBatchParser parser, EventNormalizer normalizer, Clock clock) {
    this.store = store;
    this.parser = parser;
    this.normalizer = normalizer;
    this.clock = clock;
  }

  /** Stores the events of a request body for {@code workspace}; answers in request order. */
  public List<AppendResult> ingest(String workspace, byte[] body, EventBatchParser.Format format) {
    return append(workspace, parser.parse(body, format));
  }

  /** Stores events the server itself records (such as key creation) through the same rules. */
  public List<AppendResult> record(String workspace, List<ObjectNode> events) {
    List<RawEvent> raw = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) raw.add(new RawEvent(i, events.get(i), 0));
    return append(workspace, raw);
  }

  private List<AppendResult> append(String workspace, List<RawEvent> raw) {
    Instant now = clock.instant();
    List<ObjectNode> events = normalizer.normalize(raw, now);
    String receivedAt = Times.format(now);
    List<PendingEntry> pending = new ArrayList<>(events.size());
    for (ObjectNode e : events) pending.add(EntryEncoder.prepare(workspace, receivedAt, e));
    try {
      return store.append(workspace, pending).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof TrailbookException t) throw t;
      throw e;
    }
  }
}
