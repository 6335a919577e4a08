package org.trailbook.journal;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * A growable column of longs with one writer and many readers. The writer appends; a reader may
 * read any index below a size it learned through a volatile read that followed the append (the
 * log's committed size), so no lock is needed. Chunks never move once written. Indexes never
 * written (skipped by {@link #addAt}, or in a chunk dropped by {@link #dropChunks}) read as -1: a
 * purged prefix costs no memory.
 */
final class LongColumn {
  private static final int CHUNK_BITS = 16;
  static final int CHUNK = 1 << CHUNK_BITS;
  private volatile long[][] chunks = new long[4][];
  private long size;

  void add(long value) {
    put(size, value);
  }

  /** Writer side: stores {@code value} at {@code index} (not below the size), leaving -1 at the indexes skipped. */
  void addAt(long index, long value) {
    if (index < size) throw new IllegalArgumentException("index " + index + " below the size " + size);
    put(index, value);
  }

  private void put(long index, long value) {
    int c = (int) (index >>> CHUNK_BITS);
    long[][] cs = chunks;
    if (c >= cs.length) {
      long[][] grown = Arrays.copyOf(cs, Math.max(cs.length * 2, c + 1));
      chunks = cs = grown;
    }
    if (cs[c] == null) {
      long[] chunk = new long[CHUNK];
      Arrays.fill(chunk, -1);
      cs[c] = chunk;
    }
    cs[c][(int) (index & (CHUNK - 1))] = value;
    size = index + 1;
  }

  long get(long index) {
    long[][] cs = chunks;
    int c = (int) (index >>> CHUNK_BITS);
    long[] chunk = c < cs.length ? cs[c] : null;
    return chunk == null ? -1 : chunk[(int) (index & (CHUNK - 1))];
  }

  /** Replaces the value at an index already written (a frame moved by compaction); no-op in a dropped chunk. */
  void set(long index, long value) {
    long[][] cs = chunks;
    int c = (int) (index >>> CHUNK_BITS);
    long[] chunk = c < cs.length ? cs[c] : null;
    if (chunk != null) chunk[(int) (index & (CHUNK - 1))] = value;
  }

  /** Drops every whole chunk below {@code index} that {@code inUse} (given the chunk number) does not claim. */
  void dropChunks(long index, IntPredicate inUse) {
    long[][] cs = chunks;
    for (int c = 0; c < cs.length && ((long) (c + 1) << CHUNK_BITS) <= index; c++) {
      if (cs[c] != null && !inUse.test(c)) cs[c] = null;
    }
  }

  /** Writer-side count, including appends not yet published to readers. */
  long writerSize() {
    return size;
  }
}
