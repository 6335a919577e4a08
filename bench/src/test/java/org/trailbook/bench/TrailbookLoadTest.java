package org.trailbook.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.trailbook.workload.WorkloadGenerator;
import org.trailbook.workload.WorkloadSpec;

/** With several nodes the load goes to each in turn: every batch to exactly one node, the nodes within one batch of each other. */
class TrailbookLoadTest {
  private final List<HttpServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void batchesAreSpreadOverTheNodesInTurn() throws Exception {
    List<AtomicInteger> batches = new ArrayList<>();
    List<Http> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      AtomicInteger n = new AtomicInteger();
      batches.add(n);
      nodes.add(new Http(start(n)));
    }
    WorkloadSpec spec = WorkloadSpec.singleWorkspace(3, 1000, "ws-a", Instant.parse("2026-01-01T00:00:00Z"));
    RoundRobin<Http> turn = new RoundRobin<>(nodes);
    Map<String, Long> loaded = TrailbookLoad.load(turn::next, Map.of("ws-a", "key"), new WorkloadGenerator(spec), 4, 50);

    assertThat(loaded).containsEntry("ws-a", 1000L);
    int total = batches.stream().mapToInt(AtomicInteger::get).sum();
    assertThat(total).isEqualTo(20);
    for (AtomicInteger n : batches) assertThat(n.get()).isBetween(total / 3, total / 3 + 1);
  }

  private String start(AtomicInteger batches) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.createContext("/v1/events", ex -> {
      ex.getRequestBody().readAllBytes();
      batches.incrementAndGet();
      ex.sendResponseHeaders(201, -1);
      ex.close();
    });
    s.start();
    servers.add(s);
    return "http://127.0.0.1:" + s.getAddress().getPort();
  }
}
