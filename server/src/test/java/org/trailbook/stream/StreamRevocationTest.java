package org.trailbook.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trailbook.stream.StreamSecurityTest.awaitCondition;
import static org.trailbook.stream.StreamSecurityTest.open;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.search.EventFilter;
import org.trailbook.search.SearchParams;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/**
 * Revoking a credential ends its live streams at once, through the real API ({@code DELETE
 * /v1/workspaces/{ws}/keys/{id}}), even when the client has stopped reading; and no stream ever writes an entry
 * committed after its credential stopped being valid, however the two race.
 */
class StreamRevocationTest {
  @TempDir Path dir;

  private static TestServer start(Path dir, StreamConfig stream) {
    return TestServer.start(ServerConfig.fromEnvironment(Map.of()).withDataDir(dir.resolve("data")).withStream(stream));
  }

  /** A key of {@code ws} with its id (to revoke it) and its secret. */
  private record Key(String id, String secret) {}

  private static Key createKey(TestServer server, String ws, String scope) {
    JsonNode k = server.http.post("/v1/workspaces/" + ws + "/keys", TestServer.ADMIN_KEY, "{\"name\":\"k\",\"scopes\":[\"" + scope + "\"]}").expect(201).json();
    return new Key(k.get("id").asString(), k.get("key").asString());
  }

  private static String idOf(SseClient.Event e) {
    return Json.MAPPER.readTree(e.data()).get("id").asString();
  }

  private static void readUntil(SseClient c, String eventId) {
    SseClient.Event e;
    do e = c.nextEntry();
    while (!idOf(e).equals(eventId));
  }

  @Test
  void revokingAKeyEndsEveryStreamItOpenedWithinASecondAndTheyMissWhatFollows() {
    // the default heartbeat (15 s): the streams must end because of the revocation, not at their next timer
    try (TestServer server = start(dir, StreamConfig.DEFAULTS)) {
      StreamHub hub = server.server().streams();
      String writer = server.workspaceWithKey("rev", "ingest");
      Key revoked = createKey(server, "rev", "read");
      Key other = createKey(server, "rev", "read");
      List<SseClient> streams = new ArrayList<>();
      streams.add(open(server, revoked.secret(), "", null));
      streams.add(open(server, revoked.secret(), "?type=user_action", null));
      streams.add(open(server, revoked.secret(), "?after=-1", null));
      SseClient bystander = open(server, other.secret(), "", null);
      try {
        server.http.post("/v1/events", writer, "{\"id\":\"before\",\"type\":\"user_action\",\"action\":\"x.y\"}").expect(201);
        for (SseClient c : streams) readUntil(c, "before");
        readUntil(bystander, "before");
        long revokedBefore = hub.revokedTotal();

        long t0 = System.nanoTime();
        server.http.delete("/v1/workspaces/rev/keys/" + revoked.id(), TestServer.ADMIN_KEY).expect(200);
        // right after the revocation, from another key
        server.http.post("/v1/events", writer, "[{\"id\":\"after-0\",\"type\":\"user_action\",\"action\":\"x.y\"},"
            + "{\"id\":\"after-1\",\"type\":\"user_action\",\"action\":\"x.y\"}]").expect(201);
        long deadline = t0 + Duration.ofSeconds(1).toNanos();
        for (SseClient c : streams) {
          List<SseClient.Event> delivered = new ArrayList<>();
          SseClient.Event e;
          while ((e = c.poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) != SseClient.END) {
            assertThat(e).as("the revoked key's stream ends within 1 s of the revocation").isNotNull();
            delivered.add(e);
          }
          // nothing committed after the revocation: neither the events nor the revocation's own audit event
          assertThat(delivered).as("delivered after the revocation").allSatisfy(d -> assertThat(d.event()).isNotEqualTo("entry"));
        }
        assertThat(hub.revokedTotal() - revokedBefore).isEqualTo(3);
        awaitCondition("the revoked streams' slots are free", Duration.ofSeconds(1), () -> hub.active() == 1);
        // the other key's stream goes on, and sees all of it
        SseClient.Event audit = bystander.nextEntry();
        assertThat(Json.MAPPER.readTree(audit.data()).get("action").asString()).isEqualTo("audit_log.key_revoked");
        assertThat(List.of(idOf(bystander.nextEntry()), idOf(bystander.nextEntry()))).containsExactly("after-0", "after-1");
        // and the revoked key cannot come back
        SseClient again = SseClient.open(server.server().port(), "/v1/events/stream", revoked.secret(), null);
        assertThat(again.status).isEqualTo(401);
        again.close();
      } finally {
        streams.forEach(SseClient::close);
        bystander.close();
      }
    }
  }

  @Test
  void endingAPageSessionEndsItsStreamsWithinASecond() throws Exception {
    try (TestServer server = start(dir, StreamConfig.DEFAULTS)) {
      StreamHub hub = server.server().streams();
      String admin = server.workspaceWithKey("pages", "admin", "ingest");
      String cookie = signIn(server, admin);
      SseClient stream = SseClient.openWithCookie(server.server().port(), "/v1/events/stream", cookie);
      try {
        assertThat(stream.status).isEqualTo(200);
        assertThat(stream.startReading().next().event()).isEqualTo("ready");
        server.http.post("/v1/events", admin, "{\"id\":\"seen\",\"action\":\"x.y\"}").expect(201);
        readUntil(stream, "seen");
        java.net.http.HttpResponse<String> out = org.trailbook.http.PlainHttp.send("http://127.0.0.1:" + server.server().port() + "/ui/logout", "POST",
            null, null, org.trailbook.http.PlainHttp.withCookie(cookie, "X-Trailbook-CSRF", "1"));
        assertThat(out.statusCode()).isEqualTo(200);
        // nothing is written meanwhile: the stream must end because the session ended, not at its next batch
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        SseClient.Event e;
        while ((e = stream.poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) != SseClient.END) {
          assertThat(e).as("the signed-out session's stream ends within 1 s").isNotNull();
          assertThat(e.event()).as("nothing is delivered after the sign-out").isNotEqualTo("entry");
        }
        awaitCondition("the signed-out session's slot is free", Duration.ofSeconds(1), () -> hub.active() == 0);
      } finally {
        stream.close();
      }
    }
  }

  /** Mints a viewer token for an Owner with the workspace's admin key and redeems it: the session cookie. */
  private static String signIn(TestServer server, String adminKey) {
    String token = server.http.post("/v1/viewer-tokens", adminKey, "{\"actor\":{\"id\":\"u_1\"},\"role\":\"owner\"}").expect(201).json().get("token").asString();
    return org.trailbook.http.PlainHttp.sessionCookie(
        org.trailbook.http.PlainHttp.send("http://127.0.0.1:" + server.server().port() + "/ui/login?token=" + token, "GET", null, null));
  }

  @Test
  void aRevokedKeysStreamEndsAtOnceEvenWhenItsClientStoppedReading() {
    int buffer = 32 * 1024;
    // the slow-consumer cut is far off: only the revocation can end this stream in time
    try (TestServer server = start(dir, StreamConfig.DEFAULTS.withBuffer(buffer, Duration.ofSeconds(60)))) {
      StreamHub hub = server.server().streams();
      String writer = server.workspaceWithKey("stall", "ingest");
      Key reader = createKey(server, "stall", "read");
      SseClient stalled = SseClient.open(server.server().port(), "/v1/events/stream", reader.secret(), null, 4096); // never read
      try {
        assertThat(stalled.status).isEqualTo(200);
        String padding = "x".repeat(8000);
        LiveStream stream = hub.streamsOf(reader.id()).getFirst();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        // until its writer has been stuck in one write for half a second: the client's socket and the server's are full
        for (int n = 0; stream.writingForNanos() < Duration.ofMillis(500).toNanos(); ) {
          assertThat(System.nanoTime() - deadline).as("the client's socket fills within 60 s").isNegative();
          StringBuilder batch = new StringBuilder("[");
          for (int i = 0; i < 10; i++, n++) {
            batch.append(i > 0 ? "," : "").append("{\"id\":\"p").append(n).append("\",\"action\":\"bulk.add\",\"metadata\":{\"pad\":\"").append(padding).append("\"}}");
          }
          server.http.post("/v1/events", writer, batch.append("]").toString()).expect(201);
        }
        assertThat(hub.active()).isEqualTo(1);
        long t0 = System.nanoTime();
        server.http.delete("/v1/workspaces/stall/keys/" + reader.id(), TestServer.ADMIN_KEY).expect(200);
        awaitCondition("the stalled stream of the revoked key ends", Duration.ofSeconds(1), () -> hub.active() == 0);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(hub.revokedTotal()).isEqualTo(1);
      } finally {
        stalled.close();
      }
    }
  }

  @Test
  void aStreamNeverWritesAnEntryCommittedAfterItsCredentialStoppedBeingValid() throws InterruptedException {
    // The stream's own re-check, without the revocation listener: what covers the moment between a revocation and
    // its listener, and a page session ended elsewhere. The worst interleaving, forced: a check that answers "valid"
    // while, before it returns, the credential is revoked and another key commits an entry. That entry must not be
    // written (it would be if the stream read the log's size after the check instead of before it). The next check
    // answers "revoked" only once the writer has written everything queued, so a late entry that was queued shows.
    try (TestServer server = start(dir, StreamConfig.DEFAULTS)) { // 15 s heartbeat: no keep-alives in the way
      StreamHub hub = server.server().streams();
      String writer = server.workspaceWithKey("race", "ingest");
      List<EventFilter> filters = List.of(EventFilter.all("race"),
          SearchParams.filter(Map.of("action", List.of("race.*")), Set.of(), "race", System.currentTimeMillis()));
      for (int round = 0; round < filters.size(); round++) {
        int r = round;
        Recording sink = new Recording();
        AtomicBoolean armed = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger attackedAt = new java.util.concurrent.atomic.AtomicInteger(-1);
        java.util.concurrent.atomic.AtomicLong late = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        BooleanSupplier stillValid = () -> {
          if (armed.compareAndSet(true, false)) {
            attackedAt.set(sink.size()); // revoked while this check runs...
            server.http.post("/v1/events", writer, "{\"id\":\"late-" + r + "\",\"action\":\"race.late\"}").expect(201);
            late.set(hub.lastSeq("race")); // ...and an entry committed after the revocation
            return true; // the answer from before the revocation
          }
          if (attackedAt.get() < 0) return true;
          long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
          while (!sink.drainedSince(attackedAt.get()) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // the poll interval
          }
          return false;
        };
        LiveStream stream = hub.open(filters.get(round), hub.lastSeq("race"), "race-key-" + round, stillValid);
        Thread runner = Thread.ofVirtual().start(() -> stream.run(sink));
        for (int i = 0; i < 3; i++) server.http.post("/v1/events", writer, "{\"id\":\"early-" + r + "-" + i + "\",\"action\":\"race.early\"}").expect(201);
        long lastEarly = hub.lastSeq("race");
        awaitCondition("the early entries are written", Duration.ofSeconds(10), () -> sink.written().contains(lastEarly));
        armed.set(true);
        server.http.post("/v1/events", writer, "{\"id\":\"wake-" + r + "\",\"action\":\"race.wake\"}").expect(201); // the next check
        runner.join(Duration.ofSeconds(10));
        assertThat(runner.isAlive()).as("round %d: the stream ended", round).isFalse();
        assertThat(late.get()).as("round %d: the late entry was committed", round).isNotEqualTo(Long.MAX_VALUE);
        long lateSeq = late.get();
        assertThat(sink.written()).as("round %d: seqs written", round).contains(lastEarly).allSatisfy(seq -> assertThat(seq).isLessThan(lateSeq));
      }
      assertThat(hub.revokedTotal()).isEqualTo(filters.size());
      assertThat(hub.active()).isZero();
    }
  }

  /** A sink that records what is written to it, in order: the seq of each entry, "other" messages and flushes. */
  private static final class Recording implements LiveStream.Sink {
    private static final byte[] ENTRY = "event: entry\nid: ".getBytes(StandardCharsets.US_ASCII);
    private final List<String> log = new CopyOnWriteArrayList<>();

    @Override
    public void write(byte[] bytes) {
      if (bytes.length <= ENTRY.length || !java.util.Arrays.equals(bytes, 0, ENTRY.length, ENTRY, 0, ENTRY.length)) {
        log.add("other");
        return;
      }
      String head = new String(bytes, ENTRY.length, Math.min(24, bytes.length - ENTRY.length), StandardCharsets.US_ASCII);
      log.add(head.substring(0, head.indexOf('\n')));
    }

    @Override
    public void flush() {
      log.add("flush");
    }

    @Override
    public void abort() {}

    int size() {
      return log.size();
    }

    /** Something was written after record {@code mark}, and then a flush: the stream writes that only once its buffer is empty. */
    boolean drainedSince(int mark) {
      List<String> l = List.copyOf(log);
      return l.size() > mark + 1 && l.getLast().equals("flush") && l.subList(mark, l.size()).stream().anyMatch(x -> !x.equals("flush"));
    }

    List<Long> written() {
      return log.stream().filter(x -> !x.equals("flush") && !x.equals("other")).map(Long::parseLong).toList();
    }
  }
}
