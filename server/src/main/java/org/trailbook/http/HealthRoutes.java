package org.trailbook.http;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import org.trailbook.Json;
import org.trailbook.export.Exports;
import org.trailbook.health.DiskSpace;
import org.trailbook.health.Liveness;
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.search.SearchIndex;
import org.trailbook.stream.StreamHub;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The two open probes. Both take no credential, so they print counts and part names only, never a
 * workspace name or an exception message (which could hold a path).
 *
 * <ul>
 *   <li>{@code GET /healthz} (liveness: the process is up and the write path can work): 503 with
 *       {@code status: "unavailable"} when a part that blocks writes (journal writer, tree appender)
 *       failed or stalled; otherwise 200, {@code status: "ok"}, or {@code "degraded"} when a part
 *       is backing off (search indexer, checkpoint signer, …, or the PostgreSQL store writer while
 *       the database is unreachable: it retries by itself, so a restart would not help). Always
 *       with the counters body and {@code reasons: [{part, reason, state, failures}]}.
 *   <li>{@code GET /readyz} (readiness: this node should get traffic): 200 {@code status: "ready"}
 *       when every part is well, the index is within {@link #MAX_INDEX_LAG} entries of the journal
 *       no workspace is refused for integrity and the data directory's disk has at least
 *       {@code TRAILBOOK_MIN_FREE_DISK_BYTES} free; else 503 {@code status: "not_ready"} with the
 *       reasons.
 * </ul>
 */
final class HealthRoutes {
  /**
   * How far (entries, all workspaces together) the searcher may trail the journal on a ready node:
   * about a second of peak ingest. A node rebuilding its index is not ready until it is this close.
   */
  static final long MAX_INDEX_LAG = 100_000;

  private final Liveness liveness;
  private final LogIntegrity integrity;
  private final SearchIndex index;
  private final StreamHub streams;
  private final Exports exports;
  private final DiskSpace disk;

  HealthRoutes(Liveness liveness, LogIntegrity integrity, SearchIndex index, StreamHub streams, Exports exports, DiskSpace disk) {
    this.disk = disk;
    this.liveness = liveness;
    this.integrity = integrity;
    this.index = index;
    this.streams = streams;
    this.exports = exports;
  }

  void register(ApiRoutes r) {
    r.get("/healthz", this::health);
    r.get("/readyz", this::ready);
  }

  private void health(Context ctx) {
    List<Liveness.Problem> problems = liveness.problems();
    // a write-path part that is backing off (the PostgreSQL store writer while the database is down) retries by itself:
    // restarting the process would not help, so liveness holds (degraded); /readyz and the writes' 503s say the rest
    boolean writable = problems.stream().noneMatch(p -> p.blocksWrites() && !p.state().equals("backing_off"));
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("status", !writable ? "unavailable" : problems.isEmpty() ? "ok" : "degraded");
    ArrayNode reasons = body.putArray("reasons");
    for (Liveness.Problem p : problems) reasons.add(reason(p));
    body.putObject("integrity").put("refused_workspaces", integrity.refusedWorkspaces())
        .put("integrity_failures_total", integrity.failures()).put("checkpoints_signed_total", integrity.checkpointsSigned());
    body.putObject("streams").put("active", streams.active()).put("opened_total", streams.openedTotal())
        .put("closed_total", streams.closedTotal()).put("slow_disconnects_total", streams.slowDisconnects())
        .put("revoked_total", streams.revokedTotal()).put("lifetime_ended_total", streams.lifetimeEndedTotal()).put("refused_total", streams.refusedTotal());
    body.putObject("exports").put("downloads_total", exports.downloadsTotal()).put("jobs_done_total", exports.jobsDoneTotal())
        .put("jobs_failed_total", exports.jobsFailedTotal());
    send(ctx, writable ? 200 : 503, body);
  }

  private void ready(Context ctx) {
    List<ObjectNode> reasons = new ArrayList<>();
    for (Liveness.Problem p : liveness.problems()) reasons.add(reason(p));
    long lag;
    try {
      lag = index.lag(); // reads the log's sizes from the store
    } catch (org.trailbook.TrailbookException e) {
      // the store cannot be read (the PostgreSQL store down): not ready, said in the probe's own body (no message: it may hold a URL)
      lag = -1;
      reasons.add(reason("store", "the store cannot be read, so how far the search index trails the log is unknown"));
    }
    if (lag > MAX_INDEX_LAG) {
      reasons.add(reason("search_indexer", "the search index is " + lag + " entries behind the journal (at most " + MAX_INDEX_LAG + ")"));
    }
    long refused = integrity.refusedWorkspaces();
    if (refused > 0) {
      reasons.add(reason("integrity", refused + " workspace(s) refuse writes after failing an integrity check; see the server log"));
    }
    disk.problem().ifPresent(problem -> reasons.add(reason("disk", problem)));
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("status", reasons.isEmpty() ? "ready" : "not_ready");
    ArrayNode out = body.putArray("reasons");
    out.addAll(reasons);
    body.put("index_lag", lag).put("refused_workspaces", refused);
    send(ctx, reasons.isEmpty() ? 200 : 503, body);
  }

  /** A part's problem with its state ({@code backing_off}, {@code failed}, …) and failure count since start. */
  private static ObjectNode reason(Liveness.Problem p) {
    return reason(p.part(), p.reason()).put("state", p.state()).put("failures", p.failures());
  }

  private static ObjectNode reason(String part, String reason) {
    return Json.MAPPER.createObjectNode().put("part", part).put("reason", reason);
  }

  private static void send(Context ctx, int status, ObjectNode body) {
    ctx.status(status).header("Cache-Control", "no-store").contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
  }
}
