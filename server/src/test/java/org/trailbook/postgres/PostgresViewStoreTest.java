package org.trailbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.trailbook.InvalidInputException;
import org.trailbook.ConflictException;
import org.trailbook.views.ViewStore;
import org.trailbook.views.ViewStoreContract;

/** The view contract against PostgreSQL (each {@link #openStore} is another node), and the limit held across racing nodes. */
class PostgresViewStoreTest extends ViewStoreContract {
  private final PgNodes nodes = new PgNodes();

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  @Override
  protected ViewStore openStore() {
    return new PostgresViewStore(nodes.node(), Clock.systemUTC());
  }

  @Test
  void twoNodesCreatingAtOnceStayWithinTheLimitAndTheUniqueName() throws Exception {
    ViewStore a = openStore();
    ViewStore b = openStore();
    for (int i = 0; i < ViewStore.MAX_PER_OWNER - 5; i++) a.create("acme", "riley", "v" + i, "");
    int n = 16;
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger created = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ViewStore s = i % 2 == 0 ? a : b;
        String name = "race" + (i % 8); // each name tried by two threads, one on each node
        fs.add(pool.submit(() -> {
          go.await();
          try {
            s.create("acme", "riley", name, "");
            created.incrementAndGet();
          } catch (InvalidInputException | ConflictException e) {
            refused.incrementAndGet();
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : fs) f.get();
    } finally {
      pool.shutdown();
    }
    assertThat(created.get()).isEqualTo(5);
    assertThat(refused.get()).isEqualTo(n - 5);
    assertThat(b.list("acme", "riley")).hasSize(ViewStore.MAX_PER_OWNER)
        .extracting(v -> v.name()).doesNotHaveDuplicates();
  }
}
