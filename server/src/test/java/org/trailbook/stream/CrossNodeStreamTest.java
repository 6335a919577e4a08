package org.trailbook.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.http.HttpClientForTests;
import org.trailbook.http.PlainHttp;
import org.trailbook.postgres.TestPostgres;
import org.trailbook.server.ServerProcess;
import tools.jackson.databind.JsonNode;

/**
 * Live streams across nodes: two real server processes on one PostgreSQL store. A stream on node B follows what
 * node A ingests, resumes on node A with Last-Event-ID without a gap or a duplicate, and ends when its key is revoked
 * or its page session ended through node A. Delays are bounded generously (10 s) and reported in the assertion
 * messages, never asserted against the 1 s: the benchmark measures that.
 */
class CrossNodeStreamTest {
  static final String ADMIN = "tba_cross_node_stream_test_admin";
  private static final Duration BOUND = Duration.ofSeconds(10);
  @TempDir static Path root;
  private static ServerProcess a;
  private static ServerProcess b;

  @BeforeAll
  static void startTwoNodes() throws Exception {
    Map<String, String> env = Map.of("TRAILBOOK_STORE", TestPostgres.newDatabase());
    a = ServerProcess.start(root.resolve("node-a"), ADMIN, List.of("-Xmx384m"), env);
    b = ServerProcess.start(root.resolve("node-b"), ADMIN, List.of("-Xmx384m"), env);
  }

  @AfterAll
  static void stop() throws Exception {
    for (ServerProcess p : new ServerProcess[] {a, b}) {
      if (p == null) continue;
      p.terminate();
      if (!p.waitForExit(Duration.ofSeconds(30))) p.kill();
    }
  }

  private record Key(String id, String secret) {}

  /** A workspace made through node A and a key of it, usable on both nodes (the access cache is briefly stale). */
  private static Key workspaceWithKey(String ws, String... scopes) {
    a.http().post("/v1/workspaces", ADMIN, "{\"id\":\"" + ws + "\"}").expect(201);
    return key(ws, scopes);
  }

  private static Key key(String ws, String... scopes) {
    JsonNode k = a.http().post("/v1/workspaces/" + ws + "/keys", ADMIN,
        "{\"name\":\"k\",\"scopes\":[\"" + String.join("\",\"", scopes) + "\"]}").expect(201).json();
    Key key = new Key(k.get("id").asString(), k.get("key").asString());
    awaitKnown(b.http(), key.secret());
    return key;
  }

  /** Until {@code http}'s node knows the key (anything but 401; an ingest-only key may not read). */
  private static void awaitKnown(HttpClientForTests http, String key) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (http.get("/v1/events?limit=1", key).status() == 401) {
      assertThat(System.nanoTime() - deadline).as("the key is known on the other node within %s", BOUND).isNegative();
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // the poll interval, not a wait for the outcome
    }
  }

  private static int port(ServerProcess node) {
    return URI.create(node.url()).getPort();
  }

  private static SseClient stream(ServerProcess node, String key, String lastEventId) {
    SseClient c = SseClient.open(port(node), "/v1/events/stream", key, lastEventId);
    assertThat(c.status).as("status: %s", c.body()).isEqualTo(200);
    c.startReading();
    assertThat(c.next().event()).isEqualTo("ready");
    return c;
  }

  private static String idOf(SseClient.Event e) {
    return Json.MAPPER.readTree(e.data()).get("id").asString();
  }

  /** The next entry within {@link #BOUND}. */
  private static SseClient.Event nextEntry(SseClient c, String what) {
    SseClient.Event e = c.poll(BOUND);
    assertThat(e).as("%s within %s", what, BOUND).isNotNull();
    assertThat(e.event()).as("message %s", e).isEqualTo("entry");
    return e;
  }

  /** Waits for the stream's end, within {@link #BOUND}: the entries delivered before it, and the time it took. */
  private record End(List<SseClient.Event> entries, Duration took) {}

  private static End awaitEnd(SseClient c, long sinceNanos, String why) {
    long deadline = sinceNanos + BOUND.toNanos();
    List<SseClient.Event> entries = new ArrayList<>();
    SseClient.Event e;
    while ((e = c.poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) != SseClient.END) {
      assertThat(e).as("the stream ends within %s of %s", BOUND, why).isNotNull();
      if (e.event().equals("entry")) entries.add(e);
    }
    return new End(entries, Duration.ofNanos(System.nanoTime() - sinceNanos));
  }

  private static String actionOf(SseClient.Event e) {
    return Json.MAPPER.readTree(e.data()).get("action").asString();
  }

  private static String event(String id) {
    return "{\"id\":\"" + id + "\",\"type\":\"user_action\",\"action\":\"thing.done\"}";
  }

  @Test
  void aStreamOnNodeBFollowsNodeAAndResumesOnNodeAWithoutGapOrDuplicate() {
    Key writer = workspaceWithKey("follow", "ingest", "read");
    List<SseClient.Event> seen = new ArrayList<>();
    List<Duration> delays = new ArrayList<>();
    try (SseClient onB = stream(b, writer.secret(), null)) {
      for (int i = 0; i < 5; i++) {
        long t0 = System.nanoTime();
        a.http().post("/v1/events", writer.secret(), event("a" + i)).expect(201);
        SseClient.Event e = nextEntry(onB, "event a" + i + " ingested through node A, on node B's stream");
        delays.add(Duration.ofNanos(System.nanoTime() - t0));
        assertThat(idOf(e)).as("delays so far %s", delays).isEqualTo("a" + i);
        seen.add(e);
      }
      // a batch through A while B streams: all of it, in order
      a.http().post("/v1/events", writer.secret(), "[" + event("b0") + "," + event("b1") + "," + event("b2") + "]").expect(201);
      for (int i = 0; i < 3; i++) seen.add(nextEntry(onB, "batch event b" + i + " on node B (delays of single events: " + delays + ")"));
    }
    // disconnected from B; more arrives through B itself, then the client resumes on A
    b.http().post("/v1/events", writer.secret(), "[" + event("c0") + "," + event("c1") + "]").expect(201);
    try (SseClient onA = stream(a, writer.secret(), seen.getLast().id())) {
      seen.add(nextEntry(onA, "c0 resumed on node A"));
      seen.add(nextEntry(onA, "c1 resumed on node A"));
      a.http().post("/v1/events", writer.secret(), event("d0")).expect(201);
      seen.add(nextEntry(onA, "d0 live on node A"));
    }
    System.out.println("CrossNodeStreamTest: node A ingest to node B stream delays " + delays); // for the reader; the benchmark measures
    List<String> ids = seen.stream().map(CrossNodeStreamTest::idOf).toList();
    assertThat(ids).as("node A to node B delays: %s", delays).containsExactly("a0", "a1", "a2", "a3", "a4", "b0", "b1", "b2", "c0", "c1", "d0");
    List<Long> seqs = seen.stream().map(e -> Long.parseLong(e.id())).toList();
    for (int i = 0; i < seqs.size(); i++) assertThat(seqs.get(i)).as("seqs %s: no gap, no duplicate", seqs).isEqualTo(seqs.getFirst() + i);
  }

  @Test
  void revokingAKeyThroughNodeAEndsItsStreamOnNodeB() {
    Key writer = workspaceWithKey("revoke", "ingest");
    Key reader = key("revoke", "read");
    Key other = key("revoke", "read");
    try (SseClient revoked = stream(b, reader.secret(), null); SseClient bystander = stream(b, other.secret(), null)) {
      a.http().post("/v1/events", writer.secret(), event("before")).expect(201);
      assertThat(idOf(nextEntry(revoked, "an event before the revocation"))).isEqualTo("before");
      assertThat(idOf(nextEntry(bystander, "an event before the revocation"))).isEqualTo("before");

      long t0 = System.nanoTime();
      a.http().delete("/v1/workspaces/revoke/keys/" + reader.id(), ADMIN).expect(200);
      End end = awaitEnd(revoked, t0, "the revocation through node A");
      Duration took = end.took();
      // Node B learns of the revocation by its poller (and its access cache's staleness bound), not at once as node A
      // does: until then its stream can still deliver what was committed after the revocation. The only entry committed
      // meanwhile is the revocation's own audit event; nothing else may come through.
      assertThat(end.entries()).as("delivered on node B after the revocation (ended after %s)", took)
          .allSatisfy(e -> assertThat(actionOf(e)).isEqualTo("audit_log.key_revoked"));
      System.out.println("CrossNodeStreamTest: revoked through node A, stream on node B ended after " + took + " having delivered "
          + end.entries().size() + " entries committed meanwhile");
      // the other key's stream on B goes on: the revocation's audit event, then what follows
      a.http().post("/v1/events", writer.secret(), event("after")).expect(201);
      SseClient.Event audit = nextEntry(bystander, "the revocation's audit event");
      assertThat(Json.MAPPER.readTree(audit.data()).get("action").asString()).isEqualTo("audit_log.key_revoked");
      assertThat(idOf(nextEntry(bystander, "an event after the revocation"))).as("the revoked stream ended after %s", took).isEqualTo("after");
      // and node B refuses the key from now on
      SseClient again = SseClient.open(port(b), "/v1/events/stream", reader.secret(), null);
      assertThat(again.status).as("the revoked key on node B (its stream ended after %s)", took).isEqualTo(401);
      again.close();
    }
  }

  @Test
  void endingAPageSessionThroughNodeAEndsItsStreamOnNodeB() {
    Key admin = workspaceWithKey("pages", "admin", "ingest");
    // minted on A, redeemed on B: the viewer secret is the store's
    String token = a.http().post("/v1/viewer-tokens", admin.secret(), "{\"actor\":{\"id\":\"u_1\"},\"role\":\"owner\"}").expect(201).json().get("token").asString();
    String cookie = PlainHttp.sessionCookie(PlainHttp.send(b.url() + "/ui/login?token=" + token, "GET", null, null));
    try (SseClient onB = SseClient.openWithCookie(port(b), "/v1/events/stream", cookie)) {
      assertThat(onB.status).as(onB.body()).isEqualTo(200);
      assertThat(onB.startReading().next().event()).isEqualTo("ready");
      a.http().post("/v1/events", admin.secret(), event("seen")).expect(201);
      assertThat(idOf(nextEntry(onB, "an event before the sign-out"))).isEqualTo("seen");

      long t0 = System.nanoTime();
      var out = PlainHttp.send(a.url() + "/ui/logout", "POST", null, null, PlainHttp.withCookie(cookie, "X-Trailbook-CSRF", "1"));
      assertThat(out.statusCode()).as(out.body()).isEqualTo(200);
      End end = awaitEnd(onB, t0, "the sign-out through node A");
      Duration took = end.took();
      // nothing was written meanwhile; the sign-out's own audit event is the only entry that may come through
      assertThat(end.entries()).as("delivered on node B after the sign-out (ended after %s)", took)
          .allSatisfy(e -> assertThat(actionOf(e)).isEqualTo("audit_log.viewer_signed_out"));
      System.out.println("CrossNodeStreamTest: signed out through node A, stream on node B ended after " + took);
      SseClient again = SseClient.openWithCookie(port(b), "/v1/events/stream", cookie);
      assertThat(again.status).as("the ended session on node B (its stream ended after %s)", took).isEqualTo(401);
      again.close();
    }
  }
}
