package org.trailbook.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * V1: from the acknowledgement of an event to (a) the first search that shows it and (b) its
 * arrival on a live stream. Events are sent one at a time, each with its own id. With several
 * nodes, each event is written through node A and looked for on node B (its search and its live
 * stream): the time for a write to reach another node.
 */
final class Visibility {
  record Result(Latencies searchable, Latencies streamed) {}

  static Result measure(String url, String key, int events) throws Exception {
    return measure(url, url, key, events);
  }

  /** Writes through {@code writeUrl}, searches and streams from {@code readUrl} (the same node, or another). */
  static Result measure(String writeUrl, String readUrl, String key, int events) throws Exception {
    Map<String, Long> arrived = new ConcurrentHashMap<>();
    CountDownLatch ready = new CountDownLatch(1);
    URI u = URI.create(readUrl);
    try (Socket stream = new Socket(u.getHost(), u.getPort())) {
      OutputStream out = stream.getOutputStream();
      out.write(("GET /v1/events/stream HTTP/1.1\r\nHost: " + u.getHost() + "\r\nAuthorization: Bearer " + key
          + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread reader = Thread.ofPlatform().daemon(true).start(() -> read(stream, arrived, ready));
      if (!ready.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("the live stream did not open");
      Connection1 c = new Connection1(writeUrl);
      Connection1 reading = writeUrl.equals(readUrl) ? c : new Connection1(readUrl);
      Latencies searchable = new Latencies();
      Latencies streamed = new Latencies();
      for (int i = 0; i < events; i++) {
        String id = "v1-probe-" + i;
        int status = c.post("/v1/events", key, ("{\"id\":\"" + id + "\",\"action\":\"probe.sent\"}").getBytes(StandardCharsets.UTF_8));
        long acked = System.nanoTime();
        if (status != 201) throw new IllegalStateException("probe answered " + status);
        // a search waits (read-your-writes) until the index shows what the log held: its answer time is the lag;
        // another node may not have seen the write yet when asked, so it is asked again until it shows it
        long searchDeadline = acked + TimeUnit.SECONDS.toNanos(5);
        long seen;
        while (true) {
          Connection1.Response r = reading.get("/v1/events?limit=1&q=" + id, key);
          seen = System.nanoTime();
          if (r.status() != 200) throw new IllegalStateException("probe search answered " + r.status());
          if (new String(r.body(), StandardCharsets.UTF_8).contains(id)) break;
          if (seen > searchDeadline) throw new IllegalStateException("probe " + id + " not found by search on " + readUrl + " within 5 s");
        }
        searchable.add(seen - acked);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!arrived.containsKey(id) && System.nanoTime() < deadline) Thread.onSpinWait();
        Long at = arrived.get(id);
        if (at == null) throw new IllegalStateException("probe " + id + " never arrived on the live stream");
        streamed.add(Math.max(0, at - acked));
      }
      c.close();
      if (reading != c) reading.close();
      reader.interrupt();
      return new Result(searchable, streamed);
    }
  }

  private static void read(Socket s, Map<String, Long> arrived, CountDownLatch ready) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("event: ready")) ready.countDown();
        int at = line.indexOf("\"id\":\"v1-probe-");
        if (line.startsWith("data: ") && at >= 0) {
          int start = at + 6;
          arrived.putIfAbsent(line.substring(start, line.indexOf('"', start)), System.nanoTime());
        }
      }
    } catch (IOException ignored) {
      // the stream closes with the benchmark
    }
  }
}
