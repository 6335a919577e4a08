package org.trailbook.bench;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.trailbook.workload.GeneratedEvent;

/**
 * I1 on Trailbook: workload W through {@code POST /v1/events} in batches of 500 per workspace from
 * concurrent clients; each answer means the batch is durable. With several nodes each batch goes to
 * the next node in turn.
 */
final class TrailbookLoad {
  private record Batch(String workspace, byte[] body, int events) {}

  private static final Batch END = new Batch(null, null, 0);

  /** Loads every event; returns how many each workspace took. */
  static Map<String, Long> load(Http http, Map<String, String> keys, Iterable<GeneratedEvent> workload, int clients, int batchSize) throws InterruptedException {
    return load(() -> http, keys, workload, clients, batchSize);
  }

  /** Loads every event, each batch through the node {@code nodes} answers for it; returns how many each workspace took. */
  static Map<String, Long> load(Supplier<Http> nodes, Map<String, String> keys, Iterable<GeneratedEvent> workload, int clients, int batchSize) throws InterruptedException {
    BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(clients * 4);
    Map<String, AtomicLong> stored = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      workers.add(Thread.ofPlatform().name("load-" + i).start(() -> {
        try {
          for (Batch b; (b = queue.take()) != END; ) {
            nodes.get().post("/v1/events", keys.get(b.workspace()), "application/json", b.body());
            stored.computeIfAbsent(b.workspace(), w -> new AtomicLong()).addAndGet(b.events());
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
          queue.clear();
        }
      }));
    }
    Map<String, ByteArrayOutputStream> buffers = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    for (GeneratedEvent e : workload) {
      if (failure.get() != null) break;
      ByteArrayOutputStream buf = buffers.computeIfAbsent(e.workspace(), w -> new ByteArrayOutputStream(1 << 20));
      buf.write(buf.size() == 0 ? '[' : ',');
      buf.writeBytes(e.json());
      int n = counts.merge(e.workspace(), 1, Integer::sum);
      if (n == batchSize) {
        queue.put(close(e.workspace(), buf, n));
        buffers.remove(e.workspace());
        counts.remove(e.workspace());
      }
    }
    for (Map.Entry<String, ByteArrayOutputStream> b : buffers.entrySet()) queue.put(close(b.getKey(), b.getValue(), counts.get(b.getKey())));
    for (int i = 0; i < clients; i++) queue.put(END);
    for (Thread t : workers) t.join();
    if (failure.get() != null) throw new IllegalStateException("loading failed", failure.get());
    Map<String, Long> out = new java.util.TreeMap<>();
    stored.forEach((w, n) -> out.put(w, n.get()));
    return out;
  }

  private static Batch close(String workspace, ByteArrayOutputStream buf, int n) {
    buf.write(']');
    return new Batch(workspace, buf.toByteArray(), n);
  }
}
