package org.trailbook.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.trailbook.Json;

/**
 * What every {@link ExportJobStore} does, run against each backend. {@link #openStore} opens
 * another instance on the same backing (a restart for the file store, another node for a
 * database); {@link #peer} is an instance in service beside another (itself where there is one node).
 */
public abstract class ExportJobStoreContract {
  protected static final int PER_HOUR = 3;
  protected static final long T0 = 1_700_000_000_000L;
  private static final AtomicInteger SEQ = new AtomicInteger();

  /** A store on this test's backing with an allowance of {@link #PER_HOUR}; called again, another instance on it. */
  protected abstract ExportJobStore openStore();

  protected abstract ExportJobStore peer(ExportJobStore s);

  /** How long after a claim another instance (opened after it) may claim the job again: 0 where opening is a restart. */
  protected abstract Duration runnerGoneAfter();

  public static ExportJob queued(String workspace, long createdAt) {
    String id = "exp_" + HexFormat.of().formatHex(new byte[12]) + String.format("%08x", SEQ.incrementAndGet());
    ExportRequest r = ExportRequest.fromJson(Json.MAPPER.createObjectNode().put("format", "ndjson"));
    return new ExportJob(id, workspace, "key_1", r, 10, createdAt, ExportJob.Status.QUEUED, 0, 0, 0, 0, null);
  }

  @Test
  void jobsAreKeptPerWorkspaceNewestFirst() {
    ExportJobStore s = openStore();
    ExportJob a = queued("acme", T0);
    ExportJob b = queued("acme", T0 + 1);
    ExportJob c = queued("globex", T0 + 2);
    for (ExportJob j : List.of(a, b, c)) s.save(j);
    ExportJobStore other = openStore();
    assertThat(other.list("acme")).containsExactly(b, a);
    assertThat(other.find("acme", a.id())).contains(a);
    assertThat(other.find("globex", a.id())).isEmpty();
    assertThat(other.find("acme", "exp_nope")).isEmpty();
    ExportJob done = a.with(ExportJob.Status.DONE, T0 + 5, T0 + 9, 7, 700, null);
    s.save(done);
    assertThat(openStore().find("acme", a.id())).contains(done);
  }

  @Test
  void theOldestQueuedJobIsClaimedOnceAndRunning() throws Exception {
    ExportJobStore s = openStore();
    ExportJob later = queued("acme", T0 + 10);
    ExportJob first = queued("globex", T0);
    s.save(later);
    s.save(first);
    assertThat(s.queued()).isEqualTo(2);
    ExportJob claimed = s.claim(T0 + 20, Duration.ofSeconds(1)).orElseThrow();
    assertThat(claimed.id()).isEqualTo(first.id());
    assertThat(claimed.status()).isEqualTo(ExportJob.Status.RUNNING);
    assertThat(claimed.startedAt()).isEqualTo(T0 + 20);
    assertThat(s.find("globex", first.id())).contains(claimed);
    assertThat(s.claim(T0 + 21, Duration.ofSeconds(1)).orElseThrow().id()).isEqualTo(later.id());
    assertThat(s.queued()).isZero();
    assertThat(s.claim(T0 + 22, Duration.ofMillis(100))).isEmpty();
  }

  @Test
  void instancesRacingForJobsClaimEachExactlyOnce() throws Exception {
    ExportJobStore a = openStore();
    ExportJobStore b = peer(a);
    int jobs = 12;
    for (int i = 0; i < jobs; i++) a.save(queued("acme", T0 + i));
    Map<String, Integer> claims = new ConcurrentHashMap<>();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int w = 0; w < 6; w++) {
        ExportJobStore s = w % 2 == 0 ? a : b;
        fs.add(pool.submit(() -> {
          go.await();
          while (true) {
            var j = s.claim(T0 + 100, Duration.ofMillis(200));
            if (j.isEmpty()) return null;
            claims.merge(j.get().id(), 1, Integer::sum);
          }
        }));
      }
      go.countDown();
      for (Future<?> f : fs) f.get();
    } finally {
      pool.shutdown();
    }
    assertThat(claims).hasSize(jobs);
    assertThat(Set.copyOf(claims.values())).containsExactly(1);
  }

  @Test
  void aJobWhoseRunnerIsGoneIsClaimedAgain() throws Exception {
    ExportJobStore s = openStore();
    ExportJob j = queued("acme", T0);
    s.save(j);
    s.claim(T0 + 1, Duration.ofSeconds(1)).orElseThrow();
    ExportJobStore next = openStore();
    long later = T0 + 2 + runnerGoneAfter().toMillis();
    ExportJob again = next.claim(later, Duration.ofSeconds(1)).orElseThrow();
    assertThat(again.id()).isEqualTo(j.id());
    assertThat(again.startedAt()).isEqualTo(later);
  }

  @Test
  void finishedJobsAreFoundByAgeAndDeleted() {
    ExportJobStore s = openStore();
    ExportJob old = queued("acme", T0).with(ExportJob.Status.DONE, T0, T0 + 10, 1, 1, null);
    ExportJob failed = queued("acme", T0).with(ExportJob.Status.FAILED, T0, T0 + 20, 0, 0, "boom");
    ExportJob recent = queued("acme", T0).with(ExportJob.Status.DONE, T0, T0 + 1000, 1, 1, null);
    ExportJob waiting = queued("acme", T0);
    for (ExportJob j : List.of(old, failed, recent, waiting)) s.save(j);
    assertThat(s.finishedBefore(T0 + 500)).containsExactlyInAnyOrder(old, failed);
    s.delete(old);
    assertThat(openStore().find("acme", old.id())).isEmpty();
    assertThat(s.finishedBefore(T0 + 500)).containsExactly(failed);
  }

  @Test
  void theHourlyAllowanceIsSharedAndRollsOver() {
    ExportJobStore a = openStore();
    ExportJobStore b = peer(a);
    a.takeAllowance("acme", T0);
    b.takeAllowance("acme", T0 + 1000);
    a.takeAllowance("acme", T0 + 2000);
    b.takeAllowance("globex", T0 + 2000); // per workspace
    assertThatThrownBy(() -> b.checkAllowance("acme", T0 + 3000)).isInstanceOfSatisfying(TooManyExportsException.class,
        e -> assertThat(e.retryAfterSeconds()).isEqualTo(3600 - 3));
    assertThatThrownBy(() -> a.takeAllowance("acme", T0 + 3000)).isInstanceOf(TooManyExportsException.class);
    long hourLater = T0 + ExportAllowance.HOUR_MILLIS;
    b.checkAllowance("acme", hourLater); // the first has aged out
    b.takeAllowance("acme", hourLater);
    assertThatThrownBy(() -> a.checkAllowance("acme", hourLater)).isInstanceOf(TooManyExportsException.class);
  }
}
