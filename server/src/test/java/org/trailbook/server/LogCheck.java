package org.trailbook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.trailbook.canonical.Jcs;
import org.trailbook.http.HttpClientForTests;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;
import tools.jackson.databind.JsonNode;

/**
 * Reads a workspace's whole log through a running server, as a client would, and checks what crash and
 * multi-node tests promise: seqs contiguous from 0, every {@code prev_hash} the leaf hash of the entry
 * before, each id stored once, every acknowledged event at the seq it was acknowledged with, and (when
 * {@code seenBytes} is given) every entry byte-for-byte what an earlier read saw.
 */
public final class LogCheck {
  private LogCheck() {}

  /** Waits (bounded) for the node's search index to catch up, then checks the log; {@code seenBytes} may be null. Answers the ids stored. */
  public static java.util.Set<String> check(HttpClientForTests http, String key, Map<String, Long> acknowledged, Map<String, byte[]> seenBytes, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (http.get("/v1/events?limit=1", key).expect(200).header("Trailbook-Index-Behind") != null) {
      assertThat(System.nanoTime()).as("search index of %s caught up", what).isLessThan(deadline);
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
      assertThat(e.get("seq").asLong()).as("seq contiguity in %s", what).isEqualTo(i);
      assertThat(e.get("prev_hash").asString()).as("prev_hash of seq %d in %s", i, what).isEqualTo(prev.hex());
      byte[] canonical = Jcs.canonicalize(e);
      prev = hasher.leafHash(canonical);
      String id = e.get("id").asString();
      assertThat(seqById.put(id, (long) i)).as("id %s stored once in %s", id, what).isNull();
      if (seenBytes != null) {
        byte[] before = seenBytes.putIfAbsent(id, canonical);
        if (before != null) assertThat(canonical).as("entry %s unchanged in %s", id, what).isEqualTo(before);
      }
    }
    acknowledged.forEach((id, seq) -> assertThat(seqById.get(id)).as("acknowledged %s in %s", id, what).isEqualTo(seq));
    return seqById.keySet();
  }
}
