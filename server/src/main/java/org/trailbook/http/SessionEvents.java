package org.trailbook.http;

import io.javalin.http.Context;
import org.trailbook.Json;
import org.trailbook.access.Credential;
import org.trailbook.access.Person;
import org.trailbook.ui.PageSession;
import org.trailbook.ui.SessionStore;
import org.trailbook.ui.ViewerSession;
import tools.jackson.databind.node.ObjectNode;

/**
 * The workspace-log events (category {@code audit_log}) of page sessions: a sign-in or a refused
 * one, a sign-out, and a session ended early by key revocation or by an admin.
 */
final class SessionEvents {
  private SessionEvents() {}

  /** {@code audit_log.viewer_signed_in} (with the session's id) or {@code audit_log.viewer_access_refused}, as the person. */
  static ObjectNode signIn(Context ctx, ViewerSession token, String sessionId) {
    boolean ok = sessionId != null;
    ObjectNode e = base(ok ? "audit_log.viewer_signed_in" : "audit_log.viewer_access_refused", ok ? "success" : "failure");
    person(e, token.person());
    ObjectNode context = context(e, ctx);
    if (ok) context.put("session_id", sessionId);
    e.putObject("resource").put("type", "activity_log").put("id", token.workspace()).put("name", "Activity Log");
    e.putObject("metadata").put("role", token.role().wireName()).put("minted_by", token.mintedBy());
    e.put("summary", who(token.person()) + (ok ? " signed in to the Activity Log as " : " was refused the Activity Log as ") + token.role().wireName());
    return e;
  }

  /** {@code audit_log.viewer_signed_out}: the person ended their own session. */
  static ObjectNode signedOut(Context ctx, PageSession s) {
    ObjectNode e = base("audit_log.viewer_signed_out", "success");
    person(e, s.person());
    context(e, ctx).put("session_id", s.id());
    resource(e, s);
    metadata(e, s, SessionStore.EndReason.SIGNED_OUT);
    e.put("summary", s.who() + " signed out of the Activity Log");
    return e;
  }

  /** {@code audit_log.viewer_session_ended}: an admin ended the session ({@code by}), or the key that minted it was revoked ({@code by} null). */
  static ObjectNode ended(PageSession s, SessionStore.EndReason reason, Credential by) {
    ObjectNode e = base("audit_log.viewer_session_ended", "success");
    ObjectNode actor = e.putObject("actor");
    String summary;
    if (by == null) {
      actor.put("type", "system").put("id", "trailbook").put("name", "Trailbook");
      summary = s.who() + "'s Activity Log session ended: API key " + s.mintedBy() + ", which signed them in, was revoked";
    } else if (by.platformAdmin()) {
      actor.put("type", "system").put("id", "platform-admin").put("name", "Platform admin");
      e.put("layer", "platform");
      summary = "Platform admin ended " + s.who() + "'s Activity Log session";
    } else {
      actor.put("type", "api_key").put("id", by.keyId());
      summary = "API key " + by.keyId() + " ended " + s.who() + "'s Activity Log session";
    }
    resource(e, s);
    metadata(e, s, reason).put("person_id", s.person().id());
    e.put("summary", summary);
    return e;
  }

  private static ObjectNode base(String action, String status) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    return e.put("type", "security").put("action", action).put("category", "audit_log").put("status", status);
  }

  private static void person(ObjectNode e, Person p) {
    ObjectNode actor = e.putObject("actor").put("type", "user").put("id", p.id());
    if (p.email() != null) actor.put("email", p.email());
    if (p.name() != null) actor.put("name", p.name());
  }

  private static ObjectNode context(ObjectNode e, Context ctx) {
    ObjectNode context = e.putObject("context");
    String ip = ctx.ip().replace("[", "").replace("]", "");
    if (ip.matches("[0-9A-Fa-f:.]{2,45}")) context.put("ip", ip);
    String agent = ctx.userAgent();
    if (agent != null && !agent.isBlank()) context.put("user_agent", agent.length() > 500 ? agent.substring(0, 500) : agent);
    return context;
  }

  private static void resource(ObjectNode e, PageSession s) {
    e.putObject("resource").put("type", "viewer_session").put("id", s.id()).put("name", "Activity Log session of " + s.who());
  }

  private static ObjectNode metadata(ObjectNode e, PageSession s, SessionStore.EndReason reason) {
    return e.putObject("metadata").put("reason", reason.wireName()).put("role", s.role().wireName())
        .put("minted_by", s.mintedBy());
  }

  private static String who(Person p) {
    return p.name() != null ? p.name() : p.email() != null ? p.email() : p.id();
  }
}
