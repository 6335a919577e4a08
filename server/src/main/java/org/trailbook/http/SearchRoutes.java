package org.trailbook.http;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.trailbook.Json;
import org.trailbook.access.Credential;
import org.trailbook.access.Scope;
import org.trailbook.journal.Entry;
import org.trailbook.search.EventSearch;
import org.trailbook.search.PageRequest;
import org.trailbook.search.SearchPage;
import org.trailbook.search.SearchParams;
import org.trailbook.search.Stats;
import org.trailbook.search.StatsResult;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /v1/events} (filters, search, paging, facets) and {@code GET /v1/stats}, both scope {@code read}, both
 * answered from the search index. Each first waits (briefly) until the index shows everything the workspace's log held
 * when the request arrived, so a client reads its own acknowledged writes.
 */
final class SearchRoutes {
  private static final Duration FRESHNESS_WAIT = Duration.ofSeconds(1);
  /** Set when the index had not caught up with the log within {@link #FRESHNESS_WAIT} (e.g. rebuilding after a start). */
  static final String BEHIND_HEADER = "Trailbook-Index-Behind";
  private final Authenticator auth;
  private final EventSearch search;
  private final Stats stats;
  private final Clock clock;

  SearchRoutes(Authenticator auth, EventSearch search, Clock clock) {
    this.auth = auth;
    this.search = search;
    this.stats = new Stats(search.index());
    this.clock = clock;
  }

  void register(ApiRoutes r) {
    r.get("/v1/events", this::list);
    r.get("/v1/stats", this::stats);
  }

  private void list(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.READ);
    PageRequest request = SearchParams.page(SessionScope.params(ctx, c), c.workspace(), clock.millis());
    fresh(ctx, c.workspace());
    SearchPage page = search.page(request);
    ByteArrayOutputStream out = new ByteArrayOutputStream(640 * page.events().size() + 256);
    out.writeBytes("{\"events\":[".getBytes(StandardCharsets.UTF_8));
    List<Entry> events = page.events();
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) out.write(',');
      out.writeBytes(events.get(i).canonical());
    }
    ObjectNode rest = Json.MAPPER.createObjectNode();
    rest.put("next_cursor", page.next() == null ? null : page.next().encode());
    if (page.total() != null) {
      rest.put("total", page.total());
      rest.put("total_is_lower_bound", page.totalIsLowerBound());
    }
    if (!request.facets().isEmpty()) {
      ObjectNode facets = rest.putObject("facets");
      page.facets().forEach((dim, values) -> {
        ObjectNode counts = facets.putObject(dim);
        for (SearchPage.FacetCount f : values) counts.put(f.value(), f.count());
      });
    }
    String tail = rest.toString();
    out.writeBytes("],".getBytes(StandardCharsets.UTF_8));
    out.writeBytes(tail.substring(1).getBytes(StandardCharsets.UTF_8));
    ctx.contentType("application/json").result(out.toByteArray());
  }

  private void stats(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.READ);
    var request = SearchParams.stats(SessionScope.params(ctx, c), c.workspace(), clock.millis());
    fresh(ctx, c.workspace());
    StatsResult s = stats.compute(request);
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("from", org.trailbook.Times.format(s.from())).put("to", org.trailbook.Times.format(s.to())).put("bucket", s.bucket().name().toLowerCase(java.util.Locale.ROOT));
    body.put("total", s.total()).put("previous_total", s.previousTotal());
    if (s.changePct() == null) body.putNull("change_pct");
    else body.put("change_pct", s.changePct());
    body.put("sign_ins", s.signIns()).put("writes", s.writes()).put("reads_other", s.readsOther()).put("unique_ips", s.uniqueIps());
    ArrayNode series = body.putArray("series");
    for (StatsResult.Point p : s.series()) series.addObject().put("start", org.trailbook.Times.format(p.start())).put("auth", p.auth()).put("writes", p.writes()).put("other", p.other());
    ArrayNode actors = body.putArray("top_actors");
    for (StatsResult.TopActor a : s.topActors()) {
      actors.addObject().put("id", a.id()).put("name", a.name()).put("email", a.email()).put("count", a.count()).put("last_seen", org.trailbook.Times.format(a.lastSeen()));
    }
    ArrayNode categories = body.putArray("by_category");
    for (StatsResult.CategoryCount cc : s.byCategory()) categories.addObject().put("category", cc.category()).put("count", cc.count());
    ctx.contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
  }

  private void fresh(Context ctx, String workspace) {
    long behind = search.index().awaitCurrent(workspace, FRESHNESS_WAIT);
    if (behind > 0) ctx.header(BEHIND_HEADER, Long.toString(behind));
  }
}
