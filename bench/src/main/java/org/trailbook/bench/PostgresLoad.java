package org.trailbook.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.trailbook.Json;

/** I1 on the peer: the same entries, as rows, in multi-row INSERTs of 500 from concurrent connections. */
final class PostgresLoad {
  private static final List<EventRow> END = List.of();

  static void load(PostgresPeer pg, Path entriesNdjson, int clients, int batchSize) throws Exception {
    BlockingQueue<List<EventRow>> queue = new ArrayBlockingQueue<>(clients * 4);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      workers.add(Thread.ofPlatform().name("pg-load-" + i).start(() -> {
        try (Connection c = pg.connect()) {
          for (List<EventRow> b; (b = queue.take()) != END; ) pg.insert(c, b);
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
          queue.clear();
        }
      }));
    }
    try (BufferedReader r = Files.newBufferedReader(entriesNdjson, StandardCharsets.UTF_8)) {
      List<EventRow> batch = new ArrayList<>(batchSize);
      for (String line; (line = r.readLine()) != null && failure.get() == null; ) {
        batch.add(EventRow.of(Json.MAPPER.readTree(line), line));
        if (batch.size() == batchSize) {
          queue.put(batch);
          batch = new ArrayList<>(batchSize);
        }
      }
      if (!batch.isEmpty()) queue.put(batch);
    }
    for (int i = 0; i < clients; i++) queue.put(END);
    for (Thread t : workers) t.join();
    if (failure.get() != null) throw new IllegalStateException("loading PostgreSQL failed", failure.get());
  }

  /** Reads every stored entry of every workspace back from the server into one NDJSON file. */
  static long dump(Http http, java.util.Map<String, String> keys, Path file) throws IOException {
    long n = 0;
    try (var out = Files.newOutputStream(file)) {
      for (var k : keys.entrySet()) {
        String cursor = null;
        do {
          var page = http.getJson("/v1/events?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor), k.getValue());
          for (var e : page.get("events")) {
            out.write(org.trailbook.canonical.Jcs.canonicalize(e));
            out.write('\n');
            n++;
          }
          cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
        } while (cursor != null);
      }
    }
    return n;
  }
}
