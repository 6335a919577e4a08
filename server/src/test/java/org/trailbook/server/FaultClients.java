package org.trailbook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.trailbook.Json;
import org.trailbook.http.HttpClientForTests;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * What the clients of {@link StoreFaultProcessTest} do through HTTP: ingest batches with unique ids and sort every
 * answer ({@link Load}), and read the whole log back to check it ({@link #checkLog}).
 */
final class FaultClients {
  private FaultClients() {}

  static ArrayNode batch(String prefix, int n) {
    ArrayNode batch = Json.MAPPER.createArrayNode();
    for (int i = 0; i < n; i++) batch.addObject().put("id", prefix + "-" + i).put("action", "order.created");
    return batch;
  }

  static void acknowledge(Map<String, Long> acknowledged, HttpClientForTests.Response r) {
    for (JsonNode a : r.json().get("events")) acknowledged.put(a.get("id").asString(), a.get("seq").asLong());
  }

  /** The ids the test's clients chose, without those of events the server records itself (key creation: UUIDs). */
  static Set<String> clientIds(Set<String> stored) {
    Set<String> out = new java.util.TreeSet<>(stored);
    out.removeIf(id -> id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
    return out;
  }

  /** Clients that ingest batches with unique ids and sort every answer: acknowledged, 503 (to re-send), or unexpected. */
  static final class Load {
    final HttpClientForTests http;
    final String key;
    final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    final List<ArrayNode> unresolved = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger unavailable = new AtomicInteger();
    /** The error codes of the 503s. */
    final Set<String> codes = ConcurrentHashMap.newKeySet();
    final AtomicLong slowestMs = new AtomicLong();
    final AtomicBoolean stop = new AtomicBoolean();

    Load(HttpClientForTests http, String key) {
      this.http = http;
      this.key = key;
    }

    void ingest(String prefix) {
      for (int b = 0; !stop.get(); b++) {
        ArrayNode batch = batch(prefix + "-" + b, 5);
        long started = System.nanoTime();
        HttpClientForTests.Response r;
        try {
          r = http.post("/v1/events", key, batch.toString());
        } catch (RuntimeException e) {
          unexpected.add("no answer: " + e);
          unresolved.add(batch);
          continue;
        }
        slowestMs.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), Math::max);
        if (r.status() == 201) {
          acknowledge(acknowledged, r);
        } else if (r.status() == 503 && r.header("Retry-After") != null) {
          unavailable.incrementAndGet();
          codes.add(r.json().path("error").path("code").asString());
          unresolved.add(batch);
          try {
            Thread.sleep(100); // a client's pause before its next batch, not a synchronisation
          } catch (InterruptedException e) {
            return;
          }
        } else {
          unexpected.add(r.status() + " " + r.header("Retry-After") + " " + r.body());
          unresolved.add(batch);
        }
      }
    }
  }

  /**
   * Reads the whole log through the API (once the search index caught up) and checks it: seqs from 0 without a gap,
   * each prev_hash the leaf hash of the entry before, each id once, each acknowledged id at its acknowledged seq.
   * Answers the ids stored.
   */
  static Set<String> checkLog(HttpClientForTests http, String key, Map<String, Long> acknowledged) {
    return LogCheck.check(http, key, acknowledged, null, "the store's log");
  }
}
