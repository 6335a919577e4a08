package org.trailbook.http;

import io.javalin.http.Context;
import java.util.List;
import org.trailbook.Json;
import org.trailbook.access.AccessStore;
import org.trailbook.access.ApiKey;
import org.trailbook.access.Credential;
import org.trailbook.access.Scope;
import org.trailbook.access.Workspace;
import org.trailbook.ingest.IngestService;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Workspaces and their API keys. Creating and revoking keys is itself recorded in the workspace's
 * log (category {@code audit_log}).
 */
final class AdminRoutes {
  private final Authenticator auth;
  private final AccessStore access;
  private final IngestService ingest;

  AdminRoutes(Authenticator auth, AccessStore access, IngestService ingest) {
    this.auth = auth;
    this.access = access;
    this.ingest = ingest;
  }

  void register(ApiRoutes r) {
    r.post("/v1/workspaces", this::createWorkspace);
    r.get("/v1/workspaces", this::listWorkspaces);
    r.post("/v1/workspaces/{ws}/keys", this::createKey);
    r.get("/v1/workspaces/{ws}/keys", this::listKeys);
    r.delete("/v1/workspaces/{ws}/keys/{id}", this::revokeKey);
  }

  private void createWorkspace(Context ctx) {
    Credential c = auth.adminOf(ctx, null);
    ObjectNode body = Requests.jsonObject(ctx);
    Workspace w = access.createWorkspace(Requests.optionalString(body, "id"), Requests.optionalString(body, "name"));
    ObjectNode audit = auditEvent(c, "audit_log.workspace_created");
    audit.putObject("resource").put("type", "workspace").put("id", w.id()).put("name", w.name());
    audit.put("summary", who(c) + " created workspace \"" + w.name() + "\"");
    ingest.record(w.id(), List.of(audit));
    send(ctx, 201, workspaceJson(w));
  }

  private void listWorkspaces(Context ctx) {
    auth.adminOf(ctx, null);
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode list = out.putArray("workspaces");
    for (Workspace w : access.workspaces()) list.add(workspaceJson(w));
    send(ctx, 200, out);
  }

  private void createKey(Context ctx) {
    String ws = ctx.pathParam("ws");
    Credential c = auth.adminOf(ctx, ws);
    ObjectNode body = Requests.jsonObject(ctx);
    AccessStore.CreatedKey created = access.createKey(ws, Requests.optionalString(body, "name"), Requests.stringList(body, "scopes"));
    ObjectNode audit = auditEvent(c, "audit_log.key_created");
    keyResource(audit, created.key());
    audit.put("summary", who(c) + " created API key \"" + created.key().name() + "\" (" + String.join(", ", scopeNames(created.key())) + ")");
    audit.putObject("metadata").set("scopes", scopes(created.key()));
    ingest.record(ws, List.of(audit));
    ObjectNode out = keyJson(created.key());
    out.put("key", created.secret());
    send(ctx, 201, out);
  }

  private void listKeys(Context ctx) {
    String ws = ctx.pathParam("ws");
    auth.adminOf(ctx, ws);
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode list = out.putArray("keys");
    for (ApiKey k : access.keys(ws)) list.add(keyJson(k));
    send(ctx, 200, out);
  }

  private void revokeKey(Context ctx) {
    String ws = ctx.pathParam("ws");
    Credential c = auth.adminOf(ctx, ws);
    ApiKey k = access.revokeKey(ws, ctx.pathParam("id"));
    ObjectNode audit = auditEvent(c, "audit_log.key_revoked");
    keyResource(audit, k);
    audit.put("summary", who(c) + " revoked API key \"" + k.name() + "\"");
    ingest.record(ws, List.of(audit));
    send(ctx, 200, keyJson(k));
  }

  /** A new {@code audit_log} event of {@code action} done by {@code c} (also used by the retention routes). */
  static ObjectNode auditEvent(Credential c, String action) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("type", "security");
    e.put("action", action);
    ObjectNode actor = e.putObject("actor");
    if (c.platformAdmin()) {
      actor.put("type", "system").put("id", "platform-admin").put("name", "Platform admin");
      e.put("layer", "platform");
    } else if (c.person() != null) {
      actor.put("type", "user").put("id", c.person().id());
      if (c.person().email() != null) actor.put("email", c.person().email());
      if (c.person().name() != null) actor.put("name", c.person().name());
    } else {
      actor.put("type", "api_key").put("id", c.keyId());
    }
    return e;
  }

  static String who(Credential c) {
    if (c.platformAdmin()) return "Platform admin";
    if (c.person() != null) return c.person().name() != null ? c.person().name() : c.person().id();
    return "API key " + c.keyId();
  }

  private static java.util.List<String> scopeNames(ApiKey k) {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (Scope s : Scope.values()) if (k.scopes().contains(s)) names.add(s.wireName());
    return names;
  }

  private static void keyResource(ObjectNode audit, ApiKey k) {
    audit.putObject("resource").put("type", "api_key").put("id", k.id()).put("name", k.name());
  }

  private static ArrayNode scopes(ApiKey k) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    scopeNames(k).forEach(a::add);
    return a;
  }

  private static ObjectNode workspaceJson(Workspace w) {
    return Json.MAPPER.createObjectNode().put("id", w.id()).put("name", w.name()).put("created_at", w.createdAt());
  }

  private static ObjectNode keyJson(ApiKey k) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", k.id()).put("workspace", k.workspace()).put("name", k.name());
    o.set("scopes", scopes(k));
    o.put("created_at", k.createdAt());
    if (k.revoked()) o.put("revoked_at", k.revokedAt());
    return o;
  }

  private static void send(Context ctx, int status, ObjectNode body) {
    ctx.status(status).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
  }
}
