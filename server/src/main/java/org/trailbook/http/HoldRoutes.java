package org.trailbook.http;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import org.trailbook.Json;
import org.trailbook.Times;
import org.trailbook.access.AccessStore;
import org.trailbook.access.Credential;
import org.trailbook.ingest.IngestService;
import org.trailbook.retention.LegalHold;
import org.trailbook.retention.Retention;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Legal holds of a workspace (its admin key or the platform admin key): {@code POST /v1/workspaces/{ws}/holds} places
 * one (201), {@code GET} lists all, active and released, {@code POST …/holds/{id}/release} releases one (404 unknown,
 * 409 released already). While a hold is active nothing of the workspace is purged. Each is recorded in the log.
 */
final class HoldRoutes {
  private final Authenticator auth;
  private final AccessStore access;
  private final Retention retention;
  private final IngestService ingest;

  HoldRoutes(Authenticator auth, AccessStore access, Retention retention, IngestService ingest) {
    this.auth = auth;
    this.access = access;
    this.retention = retention;
    this.ingest = ingest;
  }

  void register(ApiRoutes r) {
    r.post("/v1/workspaces/{ws}/holds", this::place);
    r.get("/v1/workspaces/{ws}/holds", this::list);
    r.post("/v1/workspaces/{ws}/holds/{id}/release", this::release);
  }

  private void place(Context ctx) {
    RetentionRoutes.Target t = RetentionRoutes.target(ctx, auth, access);
    String ws = t.workspace();
    RetentionBodies.HoldRequest req = RetentionBodies.hold(Requests.jsonObject(ctx));
    Credential c = t.caller();
    LegalHold h = retention.placeHold(ws, req.reason(), req.endsAt(), c.platformAdmin() ? PLATFORM_ADMIN : c.keyId());
    ingest.record(ws, List.of(RetentionEvents.holdPlaced(c, h)));
    ctx.status(201);
    RetentionRoutes.send(ctx, holdJson(h, retention.clock().instant()));
  }

  private void list(Context ctx) {
    String ws = RetentionRoutes.target(ctx, auth, access).workspace();
    Instant now = retention.clock().instant();
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode list = out.putArray("holds");
    for (LegalHold h : retention.holds(ws)) list.add(holdJson(h, now));
    RetentionRoutes.send(ctx, out);
  }

  private void release(Context ctx) {
    RetentionRoutes.Target t = RetentionRoutes.target(ctx, auth, access);
    String id = ctx.pathParam("id");
    boolean platformHold = retention.holds(t.workspace()).stream().anyMatch(h -> h.id().equals(id) && PLATFORM_ADMIN.equals(h.placedBy()));
    if (platformHold && !t.caller().platformAdmin()) {
      // a hold the platform placed (litigation it was told of) is not the tenant's to lift
      throw org.trailbook.access.AccessDeniedException.forbidden("hold '" + id + "' was placed by the platform admin: only the platform admin key may release it");
    }
    LegalHold h = retention.releaseHold(t.workspace(), id);
    ingest.record(t.workspace(), List.of(RetentionEvents.holdReleased(t.caller(), h)));
    RetentionRoutes.send(ctx, holdJson(h, retention.clock().instant()));
  }

  /** What {@code placed_by} says of a hold the platform admin placed. */
  private static final String PLATFORM_ADMIN = "platform-admin";

  static ObjectNode holdJson(LegalHold h, Instant now) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", h.id()).put("workspace", h.workspace()).put("reason", h.reason()).put("placed_at", Times.format(h.placedAt()))
        .put("ends_at", h.endsAt() == null ? null : Times.format(h.endsAt()))
        .put("released_at", h.releasedAt() == null ? null : Times.format(h.releasedAt()))
        .put("placed_by", h.placedBy()).put("active", h.activeAt(now));
    return o;
  }
}
