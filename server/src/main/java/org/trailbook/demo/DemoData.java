package org.trailbook.demo;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.trailbook.access.AccessStore;
import org.trailbook.access.ApiKey;
import org.trailbook.access.Person;
import org.trailbook.server.TrailbookServer;
import org.trailbook.ui.ViewerTokens;
import org.trailbook.workload.GeneratedEvent;
import org.trailbook.workload.WorkloadGenerator;
import org.trailbook.workload.WorkloadSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fills the {@code demo} workspace on first start with events of the benchmark workload (same
 * generator, fixed seed, ending now) and prints a fresh key for it on every start, and a one-time
 * login link to the web page for an Owner (the busiest user of the demo data).
 */
public final class DemoData {
  public static final String WORKSPACE = "demo";
  static final String KEY_NAME = "demo console";
  private static final long SEED = 42;

  private DemoData() {}

  public static void load(TrailbookServer server, int events, String url, PrintStream out) {
    AccessStore access = server.access();
    if (access.workspace(WORKSPACE).isEmpty()) {
      access.createWorkspace(WORKSPACE, "Demo workspace");
      WorkloadGenerator gen = new WorkloadGenerator(WorkloadSpec.singleWorkspace(SEED, events, WORKSPACE, Instant.now()));
      Iterator<GeneratedEvent> it = gen.iterator();
      List<ObjectNode> batch = new ArrayList<>(1000);
      while (it.hasNext()) {
        batch.add(it.next().event());
        if (batch.size() == 1000 || !it.hasNext()) {
          server.ingest().record(WORKSPACE, batch);
          batch.clear();
        }
      }
      out.printf("Demo workspace '%s' filled with %,d events over the last 90 days.%n", WORKSPACE, events);
    }
    for (ApiKey k : access.keys(WORKSPACE)) {
      if (k.name().equals(KEY_NAME) && !k.revoked()) access.revokeKey(WORKSPACE, k.id());
    }
    AccessStore.CreatedKey created = access.createKey(WORKSPACE, KEY_NAME, List.of("ingest", "read", "export", "admin"));
    String key = created.secret();
    out.println("Demo workspace key (ingest, read, export, admin): " + key);
    out.println("Try:  curl -H 'Authorization: Bearer " + key + "' '" + url + "/v1/events?limit=3'");
    Person owner = busiestUser(events);
    String token = server.viewerTokens().mint(WORKSPACE, owner, "owner", ViewerTokens.MAX_TTL.toSeconds(), created.key().id());
    out.println("Activity Log for " + owner.name() + " (Owner; the link works once, within 24 hours): " + url + "/ui/login?token=" + token);
  }

  /** The user acting most often in the demo data, so "My activity" has something to show. */
  static Person busiestUser(int events) {
    WorkloadGenerator gen = new WorkloadGenerator(WorkloadSpec.singleWorkspace(SEED, events, WORKSPACE, Instant.now()));
    Map<String, Integer> counts = new HashMap<>();
    Map<String, Person> people = new HashMap<>();
    for (GeneratedEvent g : gen) {
      JsonNode actor = g.event().path("actor");
      if (!"user".equals(actor.path("type").asString("")) || !actor.hasNonNull("id")) continue;
      String id = actor.get("id").asString();
      counts.merge(id, 1, Integer::sum);
      people.computeIfAbsent(id, i -> new Person(i, actor.path("email").asString(null), actor.path("name").asString(null)));
    }
    String best = counts.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey).orElse(null);
    return best == null ? new Person("demo-owner", "owner@demo.example", "Demo Owner") : people.get(best);
  }
}
