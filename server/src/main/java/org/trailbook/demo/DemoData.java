package org.trailbook.demo;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.trailbook.access.AccessStore;
import org.trailbook.access.ApiKey;
import org.trailbook.access.Person;
import org.trailbook.server.TrailbookServer;
import org.trailbook.ui.ViewerSecret;
import org.trailbook.ui.ViewerTokens;
import org.trailbook.workload.GeneratedEvent;
import org.trailbook.workload.WorkloadGenerator;
import org.trailbook.workload.WorkloadSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fills the {@code demo} workspace on first start with events of the benchmark workload (same
 * generator, fixed seed, ending now) and prints a key for it on every start — the same one each
 * time, unless it was revoked — and a one-time login link to the web page for an Owner (the
 * busiest user of the demo data).
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
    String key = demoKey(server.dataDir(), access);
    out.println("Demo workspace key (ingest, read, export, admin): " + key);
    out.println("Try:  curl -H 'Authorization: Bearer " + key + "' '" + url + "/v1/events?limit=3'");
    Person owner = busiestUser(events);
    String token = server.viewerTokens().mint(WORKSPACE, owner, "owner", ViewerTokens.MAX_TTL.toSeconds(), access.keyBySecret(key).orElseThrow().id());
    out.println("Activity Log for " + owner.name() + " (Owner; the link works once, within 24 hours): " + url + "/ui/login?token=" + token);
  }

  /**
   * The demo key: derived from the data directory's viewer-token secret (HMAC-SHA256), so every
   * start prints the same key without its secret being stored anywhere but as a hash. A revoked
   * one stays revoked: the next derivation is used instead.
   */
  static String demoKey(Path dataDir, AccessStore access) {
    byte[] secret = ViewerSecret.loadOrCreate(dataDir.resolve("keys"));
    for (int n = 0; ; n++) {
      String key = derive(secret, n);
      Optional<ApiKey> known = access.keyBySecret(key);
      if (known.isEmpty()) {
        access.createKey(WORKSPACE, KEY_NAME, List.of("ingest", "read", "export", "admin"), key);
        return key;
      }
      if (!known.get().revoked()) return key;
    }
  }

  private static String derive(byte[] secret, int n) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] derived = mac.doFinal(("trailbook demo workspace key " + n).getBytes(StandardCharsets.US_ASCII));
      return "tbk_demo_" + Base64.getUrlEncoder().withoutPadding().encodeToString(derived);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
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
