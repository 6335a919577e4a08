package org.trailbook.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.trailbook.ConflictException;
import org.trailbook.InvalidInputException;
import org.trailbook.Json;
import org.trailbook.NotFoundException;
import org.trailbook.access.Credential;
import org.trailbook.access.Scope;
import org.trailbook.archive.ArchiveException;
import org.trailbook.archive.ArchiveTarget;
import org.trailbook.archive.Archives;
import org.trailbook.archive.RestoredViews;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A workspace's archives (docs/retention.md): {@code GET /v1/workspaces/{ws}/archives} lists those on the target and
 * the restored views; {@code POST …/archives/{name}/restore} verifies one with the log's key and brings it back as a
 * read-only view (the live log is never changed), {@code DELETE} drops the view; both with the platform admin key or
 * the workspace's admin key. {@code GET /v1/workspaces/{ws}/restored/events} (scope {@code read}) finds entries in the
 * restored views, each marked {@code "restored": true} with its archive.
 */
final class ArchiveRoutes {
  private final Authenticator auth;
  private final Optional<Archives> archives;
  private final org.trailbook.ingest.IngestService ingest;

  ArchiveRoutes(Authenticator auth, Optional<Archives> archives, org.trailbook.ingest.IngestService ingest) {
    this.auth = auth;
    this.archives = archives;
    this.ingest = ingest;
  }

  void register(ApiRoutes r) {
    r.get("/v1/workspaces/{ws}/archives", this::list);
    r.post("/v1/workspaces/{ws}/archives/{name}/restore", this::restore);
    r.delete("/v1/workspaces/{ws}/archives/{name}/restore", this::drop);
    r.get("/v1/workspaces/{ws}/restored/events", this::search);
  }

  private void list(Context ctx) throws IOException {
    String ws = ctx.pathParam("ws");
    auth.adminOrPageOf(ctx, ws); // the page's Retention dialog lists them too
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode stored = out.putArray("archives");
    ArrayNode views = out.putArray("restored");
    if (archives.isEmpty()) {
      out.putNull("target");
    } else {
      Archives a = archives.get();
      out.put("target", a.archiver().target().describe());
      Set<String> restored = a.restored().views(ws).stream().map(RestoredViews.View::archive).collect(Collectors.toSet());
      for (ArchiveTarget.Stored s : a.archiver().target().list(ws)) {
        stored.addObject().put("name", s.name()).put("bytes", s.bytes()).put("location", s.location()).put("restored", restored.contains(s.name()));
      }
      for (RestoredViews.View v : a.restored().views(ws)) views.add(view(v));
    }
    json(ctx, 200, out);
  }

  private void restore(Context ctx) throws IOException {
    String ws = ctx.pathParam("ws");
    Credential c = auth.adminOf(ctx, ws);
    String name = ctx.pathParam("name");
    try {
      RestoredViews.View v = enabled().restored().restore(ws, name);
      record(c, ws, "audit_log.archive_restored", AdminRoutes.who(c) + " restored the archive of seqs " + v.fromSeq() + " to " + (v.toSeq() - 1)
          + " as a read-only view", view(v));
      json(ctx, 200, view(v));
    } catch (NoSuchFileException e) {
      throw new NotFoundException("workspace '" + ws + "' has no archive '" + name + "' on the archive target");
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("invalid_archive_name", e.getMessage());
    } catch (ArchiveException e) {
      throw new ConflictException(e.getMessage());
    }
  }

  private void drop(Context ctx) throws IOException {
    String ws = ctx.pathParam("ws");
    Credential c = auth.adminOf(ctx, ws);
    String name = ctx.pathParam("name");
    boolean had;
    try {
      had = enabled().restored().drop(ws, name);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("invalid_archive_name", e.getMessage());
    }
    if (!had) throw new NotFoundException("workspace '" + ws + "' has no restored view of '" + name + "'");
    record(c, ws, "audit_log.restore_dropped", AdminRoutes.who(c) + " dropped the restored view of " + name,
        Json.MAPPER.createObjectNode().put("archive", name));
    ctx.status(204);
  }

  private void search(Context ctx) throws IOException {
    String ws = ctx.pathParam("ws");
    Credential c = auth.workspaceKey(ctx, Scope.READ);
    if (!ws.equals(c.workspace())) throw new NotFoundException("no workspace '" + ws + "' for this key");
    String afterText = ctx.queryParam("after_seq");
    long after = afterText == null || afterText.isEmpty() ? -1 : Requests.longParam(ctx, "after_seq", 0, Long.MAX_VALUE);
    int limit = Requests.intParam(ctx, "limit", 100, 1, 1000);
    RestoredViews.Page page = archives.isEmpty() ? new RestoredViews.Page(java.util.List.of(), -1)
        : archives.get().restored().search(ws, new RestoredViews.Query(ctx.queryParam("action"), ctx.queryParam("actor"), ctx.queryParam("q"), after, limit));
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode entries = out.putArray("entries");
    page.entries().forEach(entries::add);
    if (page.nextAfterSeq() >= 0) out.put("next_after_seq", page.nextAfterSeq());
    else out.putNull("next_after_seq");
    json(ctx, 200, out);
  }

  /**
   * Restoring brings purged entries back into view, so it is part of the access trail (category {@code audit_log}),
   * like an export; the restored entries themselves never enter the live log.
   */
  private void record(Credential who, String ws, String action, String summary, ObjectNode metadata) {
    ObjectNode e = AdminRoutes.auditEvent(who, action);
    e.put("category", "audit_log").put("summary", summary);
    e.putObject("resource").put("type", "archive").put("id", metadata.path("archive").asString());
    e.set("metadata", metadata);
    ingest.record(ws, java.util.List.of(e));
  }

  private Archives enabled() {
    return archives.orElseThrow(() -> new NotFoundException("archiving is off on this server (TRAILBOOK_ARCHIVE_TARGET is not set)"));
  }

  private static ObjectNode view(RestoredViews.View v) {
    return Json.MAPPER.createObjectNode().put("archive", v.archive()).put("location", v.location()).put("from_seq", v.fromSeq())
        .put("to_seq", v.toSeq()).put("count", v.count()).put("tree_size", v.treeSize()).put("restored_at", v.restoredAt());
  }

  private static void json(Context ctx, int status, ObjectNode body) {
    ctx.status(status).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
  }
}
