package org.trailbook.http;

import io.javalin.http.Context;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.trailbook.Json;
import org.trailbook.NotFoundException;
import org.trailbook.access.AccessStore;
import org.trailbook.retention.Purger;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/workspaces/{ws}/retention/run}: runs one purge pass over the workspace at once (operators and tests
 * need it; the schedule runs one a day) and answers what it purged, or why nothing. The platform admin key, or an
 * {@code admin} key of that workspace.
 */
final class PurgeRoutes {
  private final Authenticator auth;
  private final AccessStore access;
  private final Purger purger;

  PurgeRoutes(Authenticator auth, AccessStore access, Purger purger) {
    this.auth = auth;
    this.access = access;
    this.purger = purger;
  }

  void register(ApiRoutes r) {
    r.post("/v1/workspaces/{ws}/retention/run", this::run);
  }

  private void run(Context ctx) {
    String ws = ctx.pathParam("ws");
    auth.adminOf(ctx, ws);
    if (access.workspace(ws).isEmpty()) throw new NotFoundException("no workspace '" + ws + "'");
    Purger.Outcome o = onPlatformThread(ws);
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("workspace", ws);
    if (o.purged() == null) {
      out.putNull("purged");
      out.put("reason", o.reason());
    } else {
      Purger.Purged p = o.purged();
      out.putObject("purged").put("from_seq", p.fromSeq()).put("to_seq", p.toSeq()).put("removed", p.removed()).put("kept", p.kept())
          .put("record_seq", p.recordSeq());
      out.putNull("reason");
    }
    ctx.status(200).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(out));
  }

  /**
   * The pass, on a platform thread of its own while the request's virtual thread waits: a purge is seconds of CPU and
   * I/O, and on a virtual thread it would hold one of the few carrier threads every other request shares (two on a
   * two-core machine), so ingest would wait for it.
   */
  private Purger.Outcome onPlatformThread(String ws) {
    CompletableFuture<Purger.Outcome> outcome = new CompletableFuture<>();
    Thread.ofPlatform().name("purge-" + ws).daemon(true).start(() -> {
      try {
        outcome.complete(purger.run(ws));
      } catch (Throwable t) {
        outcome.completeExceptionally(t);
      }
    });
    try {
      return outcome.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw e;
    }
  }
}
