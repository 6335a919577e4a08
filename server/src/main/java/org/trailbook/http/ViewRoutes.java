package org.trailbook.http;

import io.javalin.http.Context;
import org.trailbook.Json;
import org.trailbook.access.Credential;
import org.trailbook.access.Scope;
import org.trailbook.views.SavedView;
import org.trailbook.views.ViewStore;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /v1/views}: the caller's saved views in its workspace. The owner is the signed-in person
 * for a page session, else the API key.
 */
final class ViewRoutes {
  private final Authenticator auth;
  private final ViewStore views;

  ViewRoutes(Authenticator auth, ViewStore views) {
    this.auth = auth;
    this.views = views;
  }

  void register(ApiRoutes r) {
    r.get("/v1/views", this::list);
    r.post("/v1/views", this::create);
    r.delete("/v1/views/{id}", this::delete);
  }

  private static String owner(Credential c) {
    return c.person() != null ? "person:" + c.person().id() : "api_key:" + c.keyId();
  }

  private void list(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.READ);
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode list = out.putArray("views");
    for (SavedView v : views.list(c.workspace(), owner(c))) list.add(json(v));
    ctx.contentType("application/json").result(Json.MAPPER.writeValueAsBytes(out));
  }

  private void create(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.READ);
    ObjectNode body = Requests.jsonObject(ctx);
    SavedView v = views.create(c.workspace(), owner(c), Requests.optionalString(body, "name"), Requests.optionalString(body, "query"));
    ctx.status(201).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(json(v)));
  }

  private void delete(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.READ);
    views.delete(c.workspace(), owner(c), ctx.pathParam("id"));
    ctx.status(204);
  }

  private static ObjectNode json(SavedView v) {
    return Json.MAPPER.createObjectNode().put("id", v.id()).put("name", v.name()).put("query", v.query()).put("created_at", v.createdAt());
  }
}
