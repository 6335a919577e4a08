package org.trailbook.postgres;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.trailbook.access.ApiKey;

/**
 * One node's cache of authentication lookups: by the SHA-256 of a presented secret, and whether a
 * key id is active. Entries older than the staleness bound are looked up again, so a change made on
 * another node shows here within that bound even if the revocation poller falls behind. Unknown
 * secrets are not cached: a key created on another node must work here at once (the demo's key has
 * a chosen secret, which may well be presented before it exists), so each unknown secret costs a
 * query; revoked keys are cached as revoked (a revocation is final).
 */
final class PostgresAccessStoreCache {
  /** What a secret's hash stands for: the admin key, a key (maybe revoked), or nothing ({@code key} null). */
  record Lookup(boolean admin, ApiKey key) {}

  private record Entry<T>(T value, long loadedNanos) {}

  /** Past this many entries a map is cleared: a bound on memory, not a policy (a refill costs one query each). */
  private static final int MAX_ENTRIES = 10_000;

  private final long stalenessNanos;
  /** Counts forgets: a lookup that ran across one is not cached (it may have read what was just changed). */
  private final AtomicLong forgets = new AtomicLong();
  private final Map<String, Entry<Lookup>> byHash = new ConcurrentHashMap<>();
  private final Map<String, Entry<Boolean>> activeById = new ConcurrentHashMap<>();

  PostgresAccessStoreCache(Duration staleness) {
    this.stalenessNanos = staleness.toNanos();
  }

  Lookup byHash(String hash, Supplier<Lookup> load) {
    return get(byHash, hash, load, found -> found.admin() || found.key() != null);
  }

  boolean active(String keyId, Supplier<Boolean> load) {
    return get(activeById, keyId, load, active -> true);
  }

  /** Drops what is known of a key (created or revoked here, or revoked on another node). */
  void forget(String secretHash, String keyId) {
    forgets.incrementAndGet();
    byHash.remove(secretHash);
    activeById.remove(keyId);
  }

  void clear() {
    forgets.incrementAndGet();
    byHash.clear();
    activeById.clear();
  }

  private <T> T get(Map<String, Entry<T>> map, String id, Supplier<T> load, Predicate<T> cacheable) {
    long now = System.nanoTime();
    Entry<T> e = map.get(id);
    if (e != null && now - e.loadedNanos() < stalenessNanos) return e.value();
    // timed from before the query: the entry is never older than the bound counts
    long before = forgets.get();
    T value = load.get();
    if (!cacheable.test(value)) return value;
    if (map.size() >= MAX_ENTRIES) map.clear();
    map.put(id, new Entry<>(value, now));
    if (forgets.get() != before) map.remove(id);
    return value;
  }
}
