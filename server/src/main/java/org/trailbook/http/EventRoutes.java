package org.trailbook.http;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.trailbook.InvalidInputException;
import org.trailbook.Json;
import org.trailbook.NotFoundException;
import org.trailbook.Problem;
import org.trailbook.access.Credential;
import org.trailbook.access.Scope;
import org.trailbook.event.EventBatchParser;
import org.trailbook.ingest.IngestService;
import org.trailbook.journal.AppendResult;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /v1/events}: ingest, fetch one by id, and the newest-first feed. */
final class EventRoutes {
  static final int MAX_PAGE = 1000;
  private final Authenticator auth;
  private final IngestService ingest;
  private final EventStore store;

  EventRoutes(Authenticator auth, IngestService ingest, EventStore store) {
    this.auth = auth;
    this.ingest = ingest;
    this.store = store;
  }

  void register(ApiRoutes r) {
    r.post("/v1/events", this::ingest);
    r.get("/v1/events", this::list);
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
    List<AppendResult> results = ingest.ingest(c.workspace(), ctx.bodyAsBytes(), format);
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode events = body.putArray("events");
    for (AppendResult r : results) events.addObject().put("id", r.id()).put("seq", r.seq()).put("duplicate", r.duplicate());
    ctx.status(201).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
  }

  private void byId(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.READ);
    String id = ctx.pathParam("id");
    Entry e = store.findById(c.workspace(), id).orElseThrow(() -> new NotFoundException("no event with this id in the workspace"));
    ctx.contentType("application/json").result(e.canonical());
  }

  /** Newest first by seq; the cursor is the seq to continue below. */
  private void list(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.READ);
    int limit = Requests.intParam(ctx, "limit", 20, 1, MAX_PAGE);
    long size = store.size(c.workspace());
    long before = cursor(ctx.queryParam("cursor"), size);
    long from = Math.max(0, before - limit);
    List<Entry> page = store.read(c.workspace(), from, before);
    ByteArrayOutputStream out = new ByteArrayOutputStream(512 * page.size() + 64);
    out.writeBytes("{\"events\":[".getBytes());
    for (int i = page.size() - 1; i >= 0; i--) {
      out.writeBytes(page.get(i).canonical());
      if (i > 0) out.write(',');
    }
    out.writeBytes(("],\"next_cursor\":" + (from > 0 ? "\"s" + from + "\"" : "null") + "}").getBytes());
    ctx.contentType("application/json").result(out.toByteArray());
  }

  private static long cursor(String cursor, long size) {
    if (cursor == null || cursor.isEmpty()) return size;
    if (cursor.length() > 1 && cursor.charAt(0) == 's') {
      try {
        long seq = Long.parseLong(cursor.substring(1));
        if (seq >= 0 && seq <= size) return seq;
      } catch (NumberFormatException ignored) {
        // reported below
      }
    }
    throw new InvalidInputException("invalid_parameter", "invalid cursor",
        List.of(Problem.of("cursor", "must be a next_cursor value returned by this endpoint")));
  }
}
