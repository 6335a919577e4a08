package org.trailbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.trailbook.access.AccessDeniedException;
import org.trailbook.access.AccessRules;
import org.trailbook.access.AccessStore;
import org.trailbook.access.AccessStoreContract;
import org.trailbook.access.ApiKey;

/**
 * The contract on the PostgreSQL store (each {@link #openStore} is another node on the same
 * database), and what several nodes sharing it need: keys made on one work on another, revocations
 * reach every node within a second, and nodes starting together make one admin key.
 */
class PostgresAccessStoreTest extends AccessStoreContract {
  private PostgresDatabase db;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeEach
  void database() {
    db = open(TestPostgres.newDatabase());
  }

  private PostgresDatabase open(String url) {
    PostgresDatabase d = PostgresDatabase.open(StoreUrl.parse(url), new PostgresDatabase.Options(4, Duration.ofSeconds(5), Duration.ofSeconds(10)));
    opened.add(d);
    return d;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened.reversed()) c.close();
  }

  @Override
  protected AccessStore openStore(Clock clock) {
    PostgresAccessStore s = PostgresAccessStore.open(db, clock);
    opened.add(s);
    return s;
  }

  /** Another node: its own pool on the same database. */
  private AccessStore otherNode() {
    PostgresAccessStore s = PostgresAccessStore.open(open(db.url().toString()), CLOCK);
    opened.add(s);
    return s;
  }

  private static boolean refused(AccessStore store, String secret) {
    try {
      store.authenticate(secret);
      return false;
    } catch (AccessDeniedException e) {
      return true;
    }
  }

  /** Polls {@code condition} until it holds or {@code within} passes; answers how long it took. */
  private static Duration await(BooleanSupplier condition, Duration within) {
    long start = System.nanoTime();
    long deadline = start + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not within " + within);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void aKeyCreatedOnOneNodeAuthenticatesOnAnother() {
    AccessStore a = openStore(CLOCK);
    AccessStore b = otherNode();
    assertThat(refused(b, "tbk_not_yet")).isTrue();
    a.createWorkspace("acme", null);
    AccessStore.CreatedKey created = a.createKey("acme", "ci", List.of("ingest"), "tbk_not_yet");
    assertThat(b.authenticate("tbk_not_yet").keyId()).as("a secret refused before its key existed").isEqualTo(created.key().id());
    assertThat(b.keys("acme")).containsExactly(created.key());
    assertThat(b.workspaces()).extracting(w -> w.id()).containsExactly("acme");
  }

  @Test
  void aKeyRevokedOnOneNodeIsRefusedOnAnotherWithinASecondAndItsListenersAreTold() {
    AccessStore a = openStore(CLOCK);
    AccessStore b = otherNode();
    a.createWorkspace("acme", null);
    AccessStore.CreatedKey created = a.createKey("acme", "ci", List.of("read"));
    String id = created.key().id();
    List<ApiKey> toldOnB = new CopyOnWriteArrayList<>();
    b.addRevocationListener(toldOnB::add);
    // B has the key cached as valid
    assertThat(b.authenticate(created.secret()).keyId()).isEqualTo(id);
    assertThat(b.isActive(id)).isTrue();

    ApiKey revoked = a.revokeKey("acme", id);
    Duration took = await(() -> refused(b, created.secret()) && !b.isActive(id) && !toldOnB.isEmpty(), Duration.ofSeconds(5));
    assertThat(took).as("refused and told on the other node within a second").isLessThan(Duration.ofSeconds(1));
    assertThat(toldOnB).containsExactly(revoked);
  }

  @Test
  void eachNodesListenersAreToldOfEachRevocationOnce() {
    AccessStore a = openStore(CLOCK);
    AccessStore b = otherNode();
    a.createWorkspace("acme", null);
    ApiKey first = a.createKey("acme", "first", List.of("read")).key();
    ApiKey second = a.createKey("acme", "second", List.of("read")).key();
    List<ApiKey> toldOnA = new CopyOnWriteArrayList<>();
    List<ApiKey> toldOnB = new CopyOnWriteArrayList<>();
    a.addRevocationListener(toldOnA::add);
    b.addRevocationListener(toldOnB::add);
    ApiKey firstRevoked = a.revokeKey("acme", first.id());
    ApiKey secondRevoked = b.revokeKey("acme", second.id());
    // revocations are polled in the order they committed: once A is told of the second, its poll has passed the first
    await(() -> toldOnA.size() >= 2 && toldOnB.size() >= 2, Duration.ofSeconds(5));
    assertThat(toldOnA).as("the first told at once, not again by the poll").containsExactly(firstRevoked, secondRevoked);
    assertThat(toldOnB).as("its own at once, the other when polled: each once").containsExactlyInAnyOrder(firstRevoked, secondRevoked);
  }

  @Test
  void nodesStartingTogetherMakeExactlyOneAdminKey() throws Exception {
    for (int round = 0; round < 3; round++) {
      db = open(TestPostgres.newDatabase());
      AccessStore a = openStore(CLOCK);
      AccessStore b = otherNode();
      CyclicBarrier start = new CyclicBarrier(2);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<Optional<String>> fromA = pool.submit(() -> {
          start.await();
          return a.initAdminKey(null);
        });
        Future<Optional<String>> fromB = pool.submit(() -> {
          start.await();
          return b.initAdminKey(null);
        });
        List<String> shown = new ArrayList<>();
        fromA.get(10, TimeUnit.SECONDS).ifPresent(shown::add);
        fromB.get(10, TimeUnit.SECONDS).ifPresent(shown::add);
        assertThat(shown).as("one node makes and shows the key").hasSize(1);
        assertThat(a.authenticate(shown.getFirst()).platformAdmin()).isTrue();
        assertThat(b.authenticate(shown.getFirst()).platformAdmin()).isTrue();
        assertThat(count("SELECT count(*) FROM platform_admin_key")).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void theDatabaseHoldsOnlyTheHashesOfSecrets() throws Exception {
    AccessStore store = openStore(CLOCK);
    String admin = store.initAdminKey(null).orElseThrow();
    store.createWorkspace("acme", null);
    String secret = store.createKey("acme", "ci", List.of("read")).secret();
    String everything = dump("SELECT row_to_json(t)::text FROM platform_admin_key t UNION ALL SELECT row_to_json(t)::text FROM api_keys t");
    assertThat(everything).doesNotContain(admin, secret).contains(AccessRules.sha256(admin), AccessRules.sha256(secret));
  }

  @Test
  void aStoreThatCannotBeReachedAnswersRetryLater() {
    AccessStore store = openStore(CLOCK);
    db.close();
    assertThatThrownBy(() -> store.authenticate("tbk_any")).isInstanceOf(org.trailbook.OverloadedException.class)
        .hasMessageContaining("the store " + db.url());
  }

  private long count(String query) throws Exception {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
      r.next();
      return r.getLong(1);
    }
  }

  private String dump(String query) throws Exception {
    StringBuilder all = new StringBuilder();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
      while (r.next()) all.append(r.getString(1)).append('\n');
    }
    return all.toString();
  }
}
