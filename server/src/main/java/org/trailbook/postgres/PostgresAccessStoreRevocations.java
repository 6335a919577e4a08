package org.trailbook.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.access.ApiKey;

/**
 * Brings revocations made on other nodes to this one: every {@link #INTERVAL} it reads the keys
 * revoked after the last revocation it saw (by {@code api_keys.revocation_seq}, which commits in
 * order), drops them from the cache and tells the revocation listeners, so this node ends their
 * open streams and page sessions. Revocations made here are told at once by the store and skipped
 * when the poll meets them. Revocations from before this node started have nothing open here to end.
 */
final class PostgresAccessStoreRevocations implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresAccessStoreRevocations.class);
  static final Duration INTERVAL = Duration.ofMillis(200);
  private static final int BATCH = 1000;

  private final PostgresAccessStoreSql sql;
  private final PostgresAccessStoreCache cache;
  private final List<Consumer<ApiKey>> listeners = new CopyOnWriteArrayList<>();
  private final Set<String> toldHere = ConcurrentHashMap.newKeySet();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread poller = Thread.ofPlatform().daemon().name("trailbook-revocations").unstarted(this::run);
  private long lastSeen;
  private boolean failing;

  PostgresAccessStoreRevocations(PostgresAccessStoreSql sql, PostgresAccessStoreCache cache) {
    this.sql = sql;
    this.cache = cache;
  }

  void start() {
    lastSeen = sql.withConnection(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT coalesce(max(revocation_seq), 0) FROM api_keys");
          ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    });
    poller.start();
  }

  void addListener(Consumer<ApiKey> listener) {
    listeners.add(listener);
  }

  /** A revocation this node is committing: its listeners are told by the store, not again by the poll. */
  void revokedHere(String keyId) {
    toldHere.add(keyId);
  }

  /** A revocation this node tried did not commit: its poller tells the listeners if the key is revoked after all. */
  void notRevokedHere(String keyId) {
    toldHere.remove(keyId);
  }

  /** Tells this node's listeners of a revocation made here. */
  void tell(ApiKey revoked) {
    for (Consumer<ApiKey> l : listeners) {
      try {
        l.accept(revoked);
      } catch (RuntimeException e) {
        log.error("a revocation listener failed for key {}", revoked.id(), e);
      }
    }
  }

  private void run() {
    try {
      while (!stop.await(INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) poll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One poll: every revocation committed after the last one seen. Never throws (a failing store is logged once, then its recovery). */
  void poll() {
    List<Long> seqs = new ArrayList<>();
    List<ApiKey> keys;
    try {
      keys = sql.withConnection(c -> {
        List<ApiKey> found = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT workspace, key_id, name, scopes::text, secret_hash, created_at, revoked_at,"
            + " revocation_seq FROM api_keys WHERE revocation_seq > ? ORDER BY revocation_seq LIMIT " + BATCH)) {
          s.setLong(1, lastSeen);
          try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
              found.add(PostgresAccessStore.key(r));
              seqs.add(r.getLong(8));
            }
          }
        }
        return found;
      });
      if (failing) log.info("revocation poller: the store answers again");
      failing = false;
    } catch (RuntimeException e) {
      if (!failing) log.warn("revocation poller: cannot read revocations (retrying every {} ms): {}", INTERVAL.toMillis(), e.getMessage());
      failing = true;
      return;
    }
    for (int i = 0; i < keys.size(); i++) {
      ApiKey k = keys.get(i);
      cache.forget(k.secretHash(), k.id());
      if (!toldHere.remove(k.id())) tell(k);
      lastSeen = seqs.get(i);
    }
  }

  @Override
  public void close() {
    stop.countDown();
    try {
      poller.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
