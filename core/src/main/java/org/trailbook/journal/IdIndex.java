package org.trailbook.journal;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongPredicate;

/**
 * Maps event ids to seqs for one workspace in 16 bytes a slot: a 64-bit hash of the id and the
 * seq. Hashes can collide, so a lookup offers each candidate seq to a predicate that checks the
 * stored entry's real id. One writer, many readers (guarded by a read-write lock).
 */
final class IdIndex {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private long[] keys = new long[1024];
  private long[] values = new long[1024];
  private int count;

  static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h ^= id.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }

  void put(String id, long seq) {
    lock.writeLock().lock();
    try {
      if ((count + 1) * 10L > keys.length * 6L) grow();
      insert(keys, values, hash(id), seq);
      count++;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The seq of the entry with this id, or -1; {@code isId} confirms a candidate seq. */
  long find(String id, LongPredicate isId) {
    long h = hash(id);
    lock.readLock().lock();
    try {
      int mask = keys.length - 1;
      for (int i = (int) h & mask; keys[i] != 0; i = (i + 1) & mask) {
        if (keys[i] == h && isId.test(values[i])) return values[i];
      }
      return -1;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Forgets every id whose seq fails {@code retain} (a purge removed its entry), shrinking the table. */
  void retain(LongPredicate retain) {
    lock.writeLock().lock();
    try {
      int left = 0;
      for (int i = 0; i < keys.length; i++) if (keys[i] != 0 && retain.test(values[i])) left++;
      int capacity = 1024;
      while ((left + 1) * 10L > capacity * 6L) capacity *= 2;
      long[] k = new long[capacity];
      long[] v = new long[capacity];
      for (int i = 0; i < keys.length; i++) if (keys[i] != 0 && retain.test(values[i])) insert(k, v, keys[i], values[i]);
      keys = k;
      values = v;
      count = left;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void grow() {
    long[] k = new long[keys.length * 2];
    long[] v = new long[values.length * 2];
    for (int i = 0; i < keys.length; i++) if (keys[i] != 0) insert(k, v, keys[i], values[i]);
    keys = k;
    values = v;
  }

  private static void insert(long[] keys, long[] values, long h, long seq) {
    int mask = keys.length - 1;
    int i = (int) h & mask;
    while (keys[i] != 0) i = (i + 1) & mask;
    keys[i] = h;
    values[i] = seq;
  }
}
