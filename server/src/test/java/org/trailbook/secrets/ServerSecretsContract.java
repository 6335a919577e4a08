package org.trailbook.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What every {@link ServerSecrets} does; a backend's test says how to open two handles on one store (two nodes). */
public abstract class ServerSecretsContract {
  /** A fresh, empty store. */
  protected abstract void newStore();

  /** A handle on the store made by {@link #newStore}; each call stands for another node. */
  protected abstract ServerSecrets node();

  @Test
  void createsASecretOnFirstUseAndReadsTheSameOneBackAfterwards() {
    newStore();
    AtomicInteger made = new AtomicInteger();
    String first = node().getOrCreate("viewer-token.key", () -> "v" + made.incrementAndGet());
    String again = node().getOrCreate("viewer-token.key", () -> "v" + made.incrementAndGet());
    assertThat(first).isEqualTo("v1");
    assertThat(again).isEqualTo("v1");
    assertThat(made).hasValue(1);
  }

  @Test
  void keepsSecretsApartByName() {
    newStore();
    node().getOrCreate("log.key", () -> "a");
    assertThat(node().getOrCreate("viewer-token.key", () -> "b")).isEqualTo("b");
    assertThat(node().getOrCreate("log.key", () -> "c")).isEqualTo("a");
  }

  @Test
  void nodesCreatingTheSameSecretAtOnceAllGetTheOneThatWasStored() throws Exception {
    newStore();
    List<ServerSecrets> nodes = List.of(node(), node(), node(), node());
    List<Callable<String>> calls = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      ServerSecrets n = nodes.get(i);
      String mine = "secret-of-node-" + i;
      calls.add(() -> n.getOrCreate("log.key", () -> mine));
    }
    List<String> got = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(nodes.size())) {
      for (Future<String> f : pool.invokeAll(calls)) got.add(f.get());
    }
    assertThat(got).hasSize(4);
    assertThat(got).containsOnly(got.getFirst());
    assertThat(got.getFirst()).startsWith("secret-of-node-");
  }
}
