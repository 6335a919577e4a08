package org.trailbook.http;

import io.javalin.http.Context;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.trailbook.Json;
import org.trailbook.access.Credential;
import org.trailbook.access.Scope;
import org.trailbook.export.ExportFiles;
import org.trailbook.export.ExportJob;
import org.trailbook.export.ExportRequest;
import org.trailbook.export.Exports;

/**
 * The exports, all scope {@code export}: {@code GET /v1/exports/download} streams an export straight to the response;
 * {@code POST /v1/exports} starts a background job, {@code GET /v1/exports[/{id}]} shows jobs, {@code GET
 * /v1/exports/{id}/file} downloads a finished one. See docs/export.md.
 */
final class ExportRoutes {
  private final Authenticator auth;
  private final Exports exports;

  ExportRoutes(Authenticator auth, Exports exports) {
    this.auth = auth;
    this.exports = exports;
  }

  void register(ApiRoutes r) {
    r.get("/v1/exports/download", this::download);
    r.post("/v1/exports", this::create);
    r.get("/v1/exports", this::list);
    r.get("/v1/exports/{id}", this::show);
    r.get("/v1/exports/{id}/file", this::file);
  }

  private void download(Context ctx) throws IOException {
    Credential c = auth.workspaceKey(ctx, Scope.EXPORT);
    Exports.Download d = exports.prepareDownload(c, ExportRequest.fromQuery(ctx.queryParamMap()));
    var res = ctx.res();
    res.setStatus(200);
    res.setContentType(d.request().format().contentType());
    res.setHeader("Content-Disposition", "attachment; filename=\"" + d.fileName() + "\"");
    res.setHeader("Trailbook-Export-Count", Long.toString(d.count()));
    res.setHeader("Cache-Control", "no-store");
    try (OutputStream out = new BufferedOutputStream(res.getOutputStream(), 1 << 16)) {
      exports.write(d, out);
    }
  }

  private void create(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.EXPORT);
    ExportJob job = exports.create(c, ExportRequest.fromJson(Requests.jsonObject(ctx)));
    ctx.header("Location", "/v1/exports/" + job.id());
    ctx.status(202).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(exports.status(job)));
  }

  private void list(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.EXPORT);
    ctx.contentType("application/json").result(Json.MAPPER.writeValueAsBytes(exports.list(c.workspace())));
  }

  private void show(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.EXPORT);
    ctx.contentType("application/json").result(Json.MAPPER.writeValueAsBytes(exports.status(exports.job(c.workspace(), ctx.pathParam("id")))));
  }

  private void file(Context ctx) throws IOException {
    Credential c = auth.workspaceKey(ctx, Scope.EXPORT);
    ExportJob job = exports.job(c.workspace(), ctx.pathParam("id"));
    try (ExportFiles.Output f = exports.file(job)) {
      var res = ctx.res();
      res.setStatus(200);
      res.setContentType(job.contentType());
      res.setHeader("Content-Disposition", "attachment; filename=\"trailbook-" + job.workspace() + "-" + job.fileName() + "\"");
      res.setContentLengthLong(f.size());
      try (OutputStream out = res.getOutputStream()) {
        f.stream().transferTo(out);
      }
    }
  }
}
