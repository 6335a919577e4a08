package org.trailbook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.canonical.Jcs;
import org.trailbook.http.HttpClientForTests;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kills a real server process with SIGKILL while several clients ingest, restarts it, and checks
 * that every acknowledged event is there exactly once, unchanged, in a gapless, correctly chained
 * log — over several rounds on the same data directory.
 */
class CrashRecoveryTest {
  static final String ADMIN = "tba_crash_test_admin_key";
  @TempDir Path data;

  @Test
  void everyAcknowledgedEventSurvivesSigkillExactlyOnceAndUnchanged() throws Exception {
    Random random = new Random(7);
    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    Map<String, byte[]> seenBytes = new HashMap<>();
    String key;
    try (ServerProcess s = ServerProcess.start(data, ADMIN)) {
      HttpClientForTests http = s.http();
      http.post("/v1/workspaces", ADMIN, "{\"id\":\"crash\"}").expect(201);
      key = http.post("/v1/workspaces/crash/keys", ADMIN, "{\"name\":\"t\",\"scopes\":[\"ingest\",\"read\"]}").expect(201).json().get("key").asString();
    }
    for (int round = 0; round < 3; round++) {
      ServerProcess s = ServerProcess.start(data, ADMIN);
      HttpClientForTests http = s.http();
      checkLog(http, key, acknowledged, seenBytes);
      int killAfter = 300 + random.nextInt(1500);
      AtomicInteger acks = new AtomicInteger();
      CountDownLatch enough = new CountDownLatch(1);
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        int client = c;
        int r = round;
        long seed = random.nextLong();
        clients.add(Thread.ofVirtual().start(() -> ingestUntilRefused(http, key, "r" + r + "c" + client, new Random(seed), acknowledged, acks, killAfter, enough)));
      }
      enough.await();
      s.kill();
      for (Thread t : clients) t.join();
      assertThat(acks.get()).isGreaterThanOrEqualTo(killAfter);
    }
    try (ServerProcess s = ServerProcess.start(data, ADMIN)) {
      checkLog(s.http(), key, acknowledged, seenBytes);
    }
  }

  /** Sends batches of 1–40 events until the server stops answering. */
  private static void ingestUntilRefused(HttpClientForTests http, String key, String prefix, Random random,
      Map<String, Long> acknowledged, AtomicInteger acks, int killAfter, CountDownLatch enough) {
    for (int b = 0; ; b++) {
      ArrayNode batch = Json.MAPPER.createArrayNode();
      int n = 1 + random.nextInt(40);
      for (int i = 0; i < n; i++) {
        ObjectNode e = batch.addObject();
        e.put("id", prefix + "-" + b + "-" + i);
        e.put("action", "order.created");
        e.putObject("metadata").put("n", random.nextInt()).put("text", "x".repeat(random.nextInt(300)));
      }
      JsonNode answer;
      try {
        HttpClientForTests.Response r = http.post("/v1/events", key, batch.toString());
        if (r.status() != 201) return;
        answer = r.json();
      } catch (RuntimeException connectionGone) {
        return;
      }
      for (JsonNode a : answer.get("events")) acknowledged.put(a.get("id").asString(), a.get("seq").asLong());
      if (acks.addAndGet(n) >= killAfter) enough.countDown();
    }
  }

  private static void checkLog(HttpClientForTests http, String key, Map<String, Long> acknowledged, Map<String, byte[]> seenBytes) {
    // after a start the search index catches up with the journal in the background: wait (bounded) until it has
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (http.get("/v1/events?limit=1", key).expect(200).header("Trailbook-Index-Behind") != null) {
      assertThat(System.nanoTime()).as("search index caught up").isLessThan(deadline);
    }
    List<JsonNode> entries = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = http.get("/v1/events?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor), key).expect(200).json();
      page.get("events").forEach(entries::add);
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
    } while (cursor != null);
    entries.sort(java.util.Comparator.comparingLong(e -> e.get("seq").asLong()));
    TreeHasher hasher = new TreeHasher();
    Hash prev = Hash.ZERO;
    Map<String, Long> seqById = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonNode e = entries.get(i);
      assertThat(e.get("seq").asLong()).as("seq contiguity").isEqualTo(i);
      assertThat(e.get("prev_hash").asString()).as("prev_hash of seq %d", i).isEqualTo(prev.hex());
      byte[] canonical = Jcs.canonicalize(e);
      prev = hasher.leafHash(canonical);
      String id = e.get("id").asString();
      assertThat(seqById.put(id, (long) i)).as("id %s stored once", id).isNull();
      byte[] before = seenBytes.putIfAbsent(id, canonical);
      if (before != null) assertThat(canonical).as("entry %s unchanged", id).isEqualTo(before);
    }
    acknowledged.forEach((id, seq) -> assertThat(seqById.get(id)).as("acknowledged %s", id).isEqualTo(seq));
  }
}
