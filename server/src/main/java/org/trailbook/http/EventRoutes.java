package org.trailbook.http;

import io.javalin.http.Context;
import java.util.List;
import org.trailbook.Json;
import org.trailbook.NotFoundException;
import org.trailbook.access.Credential;
import org.trailbook.access.Scope;
import org.trailbook.event.EventBatchParser;
import org.trailbook.ingest.IngestService;
import org.trailbook.journal.AppendResult;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;
import org.trailbook.metrics.IngestMetrics;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /v1/events}: ingest and fetch one by id (the feed is {@link SearchRoutes}). */
final class EventRoutes {
  private final Authenticator auth;
  private final IngestService ingest;
  private final EventStore store;
  private final IngestMetrics metrics;

  EventRoutes(Authenticator auth, IngestService ingest, EventStore store, IngestMetrics metrics) {
    this.auth = auth;
    this.ingest = ingest;
    this.store = store;
    this.metrics = metrics;
  }

  void register(ApiRoutes r) {
    r.post("/v1/events", this::ingest);
    r.get("/v1/events/{id}", this::byId);
  }

  private void ingest(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.INGEST);
    EventBatchParser.Format format = switch (Requests.mediaType(ctx)) {
      case "application/json" -> EventBatchParser.Format.JSON;
      case "application/x-ndjson", "application/ndjson" -> EventBatchParser.Format.NDJSON;
      default -> throw new UnsupportedMediaTypeException(
          "send events as 'Content-Type: application/json' (one object or an array) or 'application/x-ndjson'");
    };
    // the one route with large bodies; BodyGate admits the body (budget, share, limit) as it is read
    BodyGate.allowBulk(ctx);
    byte[] bytes = Requests.body(ctx);
    List<AppendResult> results = ingest.ingest(c.workspace(), bytes, format);
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode events = body.putArray("events");
    for (AppendResult r : results) events.addObject().put("id", r.id()).put("seq", r.seq()).put("duplicate", r.duplicate());
    ctx.status(201).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
    // once per request: the batch is durable and its answer decided
    metrics.acknowledged(results.size(), bytes.length, System.nanoTime() - MetricsRoutes.beginNanos(ctx));
  }

  private void byId(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.READ);
    String id = ctx.pathParam("id");
    Entry e = store.findById(c.workspace(), id).orElseThrow(() -> new NotFoundException("no event with this id in the workspace"));
    ctx.contentType("application/json").result(e.canonical());
  }
}
