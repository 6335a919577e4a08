package org.trailbook.http;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.Json;
import org.trailbook.NotFoundException;
import org.trailbook.Times;
import org.trailbook.access.AccessStore;
import org.trailbook.access.ApiKey;
import org.trailbook.access.Credential;
import org.trailbook.ingest.IngestService;
import org.trailbook.ui.PageSession;
import org.trailbook.ui.SessionStore;
import org.trailbook.ui.ViewerTokens;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How page sessions end early, each recorded in the workspace's log: the person signs out
 * ({@code POST /ui/logout}), an admin ends one ({@code DELETE /v1/workspaces/{ws}/sessions/{id}},
 * after {@code GET /v1/workspaces/{ws}/sessions}), or the API key that minted the viewer token is
 * revoked (a revocation listener ends every session it opened).
 */
final class SessionRoutes {
  private static final Logger log = LoggerFactory.getLogger(SessionRoutes.class);
  private final Authenticator auth;
  private final SessionStore sessions;
  private final AccessStore access;
  private final IngestService ingest;

  SessionRoutes(Authenticator auth, SessionStore sessions, AccessStore access, IngestService ingest) {
    this.auth = auth;
    this.sessions = sessions;
    this.access = access;
    this.ingest = ingest;
    access.addRevocationListener(this::keyRevoked);
  }

  void register(ApiRoutes r) {
    r.post("/ui/logout", this::logout);
    r.get("/v1/workspaces/{ws}/sessions", this::list);
    r.delete("/v1/workspaces/{ws}/sessions/{id}", this::end);
  }

  /** Ends the cookie's session on the server (so a replayed cookie is refused) and clears the cookie. */
  private void logout(Context ctx) {
    PageSession s;
    try {
      s = auth.cookieSession(ctx);
    } catch (org.trailbook.access.AccessDeniedException e) {
      if (!e.unauthenticated()) throw e; // a cross-site or header-less sign-out ends nothing
      s = null; // ended or expired already: nothing to end, the cookie is cleared all the same
    }
    ctx.header("Set-Cookie", ViewerTokens.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    if (s != null && sessions.end(s.workspace(), s.id(), SessionStore.EndReason.SIGNED_OUT).isPresent()) {
      record(s.workspace(), SessionEvents.signedOut(ctx, s));
    }
    ctx.contentType("application/json").result("{\"signed_out\":true}");
  }

  private void list(Context ctx) {
    String ws = ctx.pathParam("ws");
    auth.adminOf(ctx, ws);
    requireWorkspace(ws);
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode list = out.putArray("sessions");
    for (PageSession s : sessions.list(ws)) list.add(json(s));
    send(ctx, 200, out);
  }

  private void end(Context ctx) {
    String ws = ctx.pathParam("ws");
    Credential c = auth.adminOf(ctx, ws);
    requireWorkspace(ws);
    String id = ctx.pathParam("id");
    PageSession s = sessions.end(ws, id, SessionStore.EndReason.ENDED_BY_ADMIN)
        .orElseThrow(() -> new NotFoundException("no live page session '" + id + "' in workspace '" + ws + "'"));
    record(ws, SessionEvents.ended(s, SessionStore.EndReason.ENDED_BY_ADMIN, c));
    send(ctx, 200, json(s));
  }

  /** Revocation listener: the key's sessions end with it, each recorded in its workspace's log. */
  private void keyRevoked(ApiKey key) {
    for (PageSession s : sessions.endMintedBy(key.id(), SessionStore.EndReason.KEY_REVOKED)) {
      record(s.workspace(), SessionEvents.ended(s, SessionStore.EndReason.KEY_REVOKED, null));
    }
  }

  /** The session is ended whatever happens here; a log that refuses writes is reported, not fatal. */
  private void record(String workspace, ObjectNode event) {
    try {
      ingest.record(workspace, List.of(event));
    } catch (RuntimeException e) {
      log.warn("could not record {} in workspace '{}': {}", event.path("action").asString(""), workspace, e.toString());
    }
  }

  private void requireWorkspace(String ws) {
    if (access.workspace(ws).isEmpty()) throw new NotFoundException("no workspace '" + ws + "'");
  }

  private static ObjectNode json(PageSession s) {
    ObjectNode o = Json.MAPPER.createObjectNode().put("id", s.id()).put("workspace", s.workspace());
    ObjectNode p = o.putObject("person").put("id", s.person().id());
    if (s.person().email() != null) p.put("email", s.person().email());
    if (s.person().name() != null) p.put("name", s.person().name());
    o.put("role", s.role().wireName()).put("minted_by", s.mintedBy());
    o.put("created_at", Times.format(Instant.ofEpochSecond(s.createdAt())));
    o.put("expires_at", Times.format(Instant.ofEpochSecond(s.expiresAt())));
    o.put("last_seen_at", Times.format(Instant.ofEpochSecond(s.lastSeenAt())));
    return o;
  }

  private static void send(Context ctx, int status, ObjectNode body) {
    ctx.status(status).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
  }
}
