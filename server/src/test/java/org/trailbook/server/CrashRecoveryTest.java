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
import org.trailbook.http.HttpClientForTests;
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
    LogCheck.check(http, key, acknowledged, seenBytes, "the crashed server's log");
  }
}
