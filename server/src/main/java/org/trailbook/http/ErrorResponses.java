package org.trailbook.http;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.ConflictException;
import org.trailbook.InvalidInputException;
import org.trailbook.Json;
import org.trailbook.NotFoundException;
import org.trailbook.OverloadedException;
import org.trailbook.Problem;
import org.trailbook.TooLargeException;
import org.trailbook.access.AccessDeniedException;
import org.trailbook.integrity.WorkspaceRefusedException;
import org.trailbook.journal.IdConflictException;
import org.trailbook.journal.JournalUnavailableException;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one place exceptions become HTTP statuses and the JSON error body {@code
 * {"error":{"code","message","details":[{"index","field","problem"}],"request_id"}}}. Messages never carry
 * event payloads or secrets; {@code request_id} is the answer's {@code X-Request-Id} ({@link RequestIds}), for a user
 * to quote and an operator to find in the logs.
 */
final class ErrorResponses {
  private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);
  /** The request attribute holding the error body's {@code code}: metrics name the reason of a 429 by it. */
  static final String CODE = "trailbook.error.code";
  private final long maxBodyBytes;

  ErrorResponses(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  void handle(Exception e, Context ctx) {
    switch (e) {
      case TooLargeException t -> send(ctx, 413, t.code(), t.getMessage(), t.problems());
      case InvalidInputException t -> send(ctx, 400, t.code(), t.getMessage(), t.problems());
      case AccessDeniedException t when t.unauthenticated() -> {
        ctx.header("WWW-Authenticate", "Bearer");
        send(ctx, 401, "unauthorized", t.getMessage(), List.of());
      }
      case AccessDeniedException t -> send(ctx, 403, "forbidden", t.getMessage(), List.of());
      case NotFoundException t -> send(ctx, 404, "not_found", t.getMessage(), List.of());
      case IdConflictException t -> idConflict(ctx, t);
      case LogRoutes.PurgedException t -> purged(ctx, t);
      case ConflictException t -> send(ctx, 409, "conflict", t.getMessage(), List.of());
      case UnsupportedMediaTypeException t -> send(ctx, 415, "unsupported_media_type", t.getMessage(), List.of());
      case RateLimiter.RateLimitedException t -> {
        ctx.header("Retry-After", Integer.toString(t.retryAfterSeconds));
        send(ctx, 429, "rate_limited", t.getMessage(), List.of());
      }
      case org.trailbook.export.TooManyExportsException t -> {
        ctx.header("Retry-After", Integer.toString(t.retryAfterSeconds()));
        send(ctx, 429, "too_many_exports", t.getMessage(), List.of());
      }
      case org.trailbook.stream.TooManyStreamsException t -> {
        ctx.header("Retry-After", Integer.toString(t.retryAfterSeconds()));
        send(ctx, 429, "too_many_streams", t.getMessage(), List.of());
      }
      case RequestBodyException t -> {
        // the client's doing (BodyGate logs one line): no stack trace, not a 5xx
        if (t.kind == RequestBodyException.Kind.TIMEOUT) ctx.header("Connection", "close");
        send(ctx, t.kind.status, t.kind.code, t.getMessage(), List.of());
      }
      case OverloadedException t -> {
        ctx.header("Retry-After", Integer.toString(t.retryAfterSeconds()));
        send(ctx, 503, "overloaded", t.getMessage(), List.of());
      }
      case WorkspaceRefusedException t -> {
        ctx.header("Retry-After", "3600");
        send(ctx, 503, "integrity_failure", t.getMessage(), List.of());
      }
      case JournalUnavailableException t -> {
        ctx.header("Retry-After", "30");
        send(ctx, 503, "unavailable", t.getMessage(), List.of());
      }
      case HttpResponseException t when t.getStatus() == 413 ->
          send(ctx, 413, "body_too_large", "the request body is larger than the limit of " + maxBodyBytes + " bytes", List.of());
      case HttpResponseException t when t.getStatus() == 404 ->
          send(ctx, 404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path(), List.of());
      case HttpResponseException t when t.getStatus() == 405 ->
          send(ctx, 405, "method_not_allowed", "method " + ctx.method() + " is not allowed on " + ctx.path(), List.of());
      case HttpResponseException t -> send(ctx, t.getStatus(), "http_" + t.getStatus(), t.getMessage(), List.of());
      default -> {
        log.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
        send(ctx, 500, "internal", "an unexpected error occurred; it has been logged", List.of());
      }
    }
  }

  /**
   * 409 {@code id_conflict}: the error also carries the {@code id} and, when the id is stored already, its {@code seq},
   * so a client can fetch what holds the id; the problem names the refused event's index.
   */
  private static void idConflict(Context ctx, IdConflictException t) {
    String problem = t.seq() >= 0
        ? "already stored at seq " + t.seq() + " with different content"
        : "the same id as event " + t.earlierIndex() + " of this batch, with different content";
    ObjectNode body = errorBody(ctx, "id_conflict", t.getMessage(), List.of(new Problem(t.index(), "id", problem)));
    ObjectNode error = (ObjectNode) body.get("error");
    error.put("id", t.id());
    if (t.seq() >= 0) error.put("seq", t.seq());
    ctx.status(409).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
  }

  /** 410 {@code purged}: the error also names the purge (range, reason) and its record's seq in the log. */
  private static void purged(Context ctx, LogRoutes.PurgedException t) {
    ObjectNode body = errorBody(ctx, "purged", t.getMessage(), List.of());
    ObjectNode purge = ((ObjectNode) body.get("error")).putObject("purge");
    purge.put("from_seq", t.purge.fromSeq()).put("to_seq", t.purge.toSeq()).put("reason", t.purge.reason());
    if (t.recordSeq != null) purge.put("record_seq", t.recordSeq);
    ctx.attribute(CODE, "purged");
    ctx.status(410).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
  }

  static void send(Context ctx, int status, String code, String message, List<Problem> problems) {
    ctx.attribute(CODE, code);
    ctx.status(status).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(errorBody(ctx, code, message, problems)));
  }

  private static ObjectNode errorBody(Context ctx, String code, String message, List<Problem> problems) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", code);
    error.put("message", message);
    if (!problems.isEmpty()) {
      ArrayNode details = error.putArray("details");
      for (Problem p : problems) {
        ObjectNode d = details.addObject();
        if (p.index() >= 0) d.put("index", p.index());
        d.put("field", p.field());
        d.put("problem", p.problem());
      }
    }
    String requestId = RequestIds.of(ctx);
    if (requestId != null) error.put("request_id", requestId);
    return body;
  }
}
