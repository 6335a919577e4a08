package org.trailbook.http;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import org.trailbook.Json;
import org.trailbook.NotFoundException;
import org.trailbook.Times;
import org.trailbook.access.AccessStore;
import org.trailbook.access.Credential;
import org.trailbook.ingest.IngestService;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;
import org.trailbook.retention.LegalHold;
import org.trailbook.retention.Retention;
import org.trailbook.retention.RetentionPlan;
import org.trailbook.retention.RetentionPolicy;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A workspace's retention ({@code GET}/{@code PUT /v1/workspaces/{ws}/retention}: its admin key or the platform admin
 * key) and the plans (platform admin only: {@code GET /v1/retention/plans}, {@code PUT /v1/retention/plans/{name}},
 * {@code PUT /v1/workspaces/{ws}/plan}). Every change is stored, then recorded in the workspace's log ({@link
 * RetentionEvents}); a request that changes nothing is answered the same but not recorded. See docs/retention.md.
 */
final class RetentionRoutes {
  private final Authenticator auth;
  private final AccessStore access;
  private final Retention retention;
  private final EventStore store;
  private final IngestService ingest;

  RetentionRoutes(Authenticator auth, AccessStore access, Retention retention, EventStore store, IngestService ingest) {
    this.auth = auth;
    this.access = access;
    this.retention = retention;
    this.store = store;
    this.ingest = ingest;
  }

  void register(ApiRoutes r) {
    r.get("/v1/workspaces/{ws}/retention", this::show);
    r.put("/v1/workspaces/{ws}/retention", this::setPolicy);
    r.put("/v1/workspaces/{ws}/plan", this::assignPlan);
    r.get("/v1/retention/plans", this::listPlans);
    r.put("/v1/retention/plans/{name}", this::putPlan);
  }

  /**
   * The workspace of the path, for its admin key or the platform admin key (another workspace's key: 403, as on
   * every {@code /v1/workspaces/{ws}} route); a workspace that does not exist: 404.
   */
  static Target target(Context ctx, Authenticator auth, AccessStore access) {
    String ws = ctx.pathParam("ws");
    Credential c = auth.adminOf(ctx, ws);
    if (access.workspace(ws).isEmpty()) throw new NotFoundException("no workspace '" + ws + "'");
    return new Target(ws, c);
  }

  /** As {@link #target}, also for the Owners and Admins of the workspace signed in to the page. */
  private Target targetForPage(Context ctx) {
    String ws = ctx.pathParam("ws");
    Credential c = auth.adminOrPageOf(ctx, ws);
    if (access.workspace(ws).isEmpty()) throw new NotFoundException("no workspace '" + ws + "'");
    return new Target(ws, c);
  }

  /** The workspace a request acts on, and who acts. */
  record Target(String workspace, Credential caller) {}

  private void show(Context ctx) {
    send(ctx, status(targetForPage(ctx).workspace()));
  }

  private void setPolicy(Context ctx) {
    Target t = targetForPage(ctx);
    String ws = t.workspace();
    RetentionPolicy policy = RetentionBodies.policy(Requests.jsonObject(ctx));
    Retention.Change<RetentionPolicy> change = retention.setPolicy(ws, policy);
    if (change.changed()) {
      ingest.record(ws, List.of(RetentionEvents.retentionChanged(t.caller(), ws, change.before(), policy, retention.config().defaultDays())));
    }
    send(ctx, status(ws));
  }

  private void assignPlan(Context ctx) {
    String ws = ctx.pathParam("ws");
    Credential c = auth.adminOf(ctx, null);
    if (access.workspace(ws).isEmpty()) throw new NotFoundException("no workspace '" + ws + "'");
    Retention.Change<RetentionPlan> change = retention.assignPlan(ws, RetentionBodies.planName(Requests.jsonObject(ctx)));
    if (change.changed()) ingest.record(ws, List.of(RetentionEvents.planAssigned(c, ws, change.before(), change.after())));
    send(ctx, status(ws));
  }

  private void listPlans(Context ctx) {
    auth.adminOf(ctx, null);
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode list = out.putArray("plans");
    for (RetentionPlan p : retention.plans()) list.add(planJson(p));
    send(ctx, out);
  }

  /** Creates or changes a plan; a changed maximum is recorded in the log of every workspace on the plan. */
  private void putPlan(Context ctx) {
    Credential c = auth.adminOf(ctx, null);
    Retention.Change<RetentionPlan> change = retention.putPlan(ctx.pathParam("name"), RetentionBodies.planMaximum(Requests.jsonObject(ctx)));
    RetentionPlan plan = change.after().orElseThrow();
    if (change.changed()) {
      for (String ws : retention.workspacesOn(plan.name())) ingest.record(ws, List.of(RetentionEvents.planChanged(c, change.before(), plan)));
    }
    send(ctx, planJson(plan));
  }

  private ObjectNode status(String ws) {
    Instant now = retention.clock().instant();
    Retention.Status s = retention.status(ws, now);
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("workspace", ws);
    if (s.policy().isPresent()) out.putObject("policy").put("days", s.policy().get().days()).put("archive", s.policy().get().archive());
    else out.putNull("policy");
    out.put("default_days", retention.config().defaultDays());
    if (s.plan().isPresent()) out.set("plan", planJson(s.plan().get()));
    else out.putNull("plan");
    out.putObject("effective").put("days", s.effective().days()).put("audit_log_days", s.effective().auditLogDays())
        .put("archive", s.effective().archive()).put("limited_by_plan", s.limitedByPlan());
    long purgedBefore = store.purgedBefore(ws);
    out.put("purged_before", purgedBefore);
    // the first entry at or after the horizon: one read of one seq, whatever the log's size
    List<Entry> first = purgedBefore < store.size(ws) ? store.read(ws, purgedBefore, purgedBefore + 1) : List.of();
    if (first.isEmpty()) out.putNull("oldest_retained");
    else out.putObject("oldest_retained").put("seq", first.getFirst().seq()).put("received_at", first.getFirst().json().get("received_at").asString());
    out.put("next_purge_at", Times.format(s.nextPurgeAt()));
    out.put("held", s.effective().held());
    ArrayNode holds = out.putArray("holds");
    for (LegalHold h : s.activeHolds()) holds.add(HoldRoutes.holdJson(h, now));
    return out;
  }

  private static ObjectNode planJson(RetentionPlan p) {
    return Json.MAPPER.createObjectNode().put("name", p.name()).put("max_days", p.maxDays());
  }

  static void send(Context ctx, ObjectNode body) {
    ctx.contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
  }
}
