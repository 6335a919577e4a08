package org.trailbook.demo;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.trailbook.access.AccessStore;
import org.trailbook.access.ApiKey;
import org.trailbook.server.TrailbookServer;
import org.trailbook.workload.GeneratedEvent;
import org.trailbook.workload.WorkloadGenerator;
import org.trailbook.workload.WorkloadSpec;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fills the {@code demo} workspace on first start with events of the benchmark workload (same
 * generator, fixed seed, ending now) and prints a fresh key for it on every start.
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
    String key = access.createKey(WORKSPACE, KEY_NAME, List.of("ingest", "read", "export", "admin")).secret();
    out.println("Demo workspace key (ingest, read, export, admin): " + key);
    out.println("Try:  curl -H 'Authorization: Bearer " + key + "' '" + url + "/v1/events?limit=3'");
  }
}
