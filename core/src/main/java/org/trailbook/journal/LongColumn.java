package org.trailbook.journal;

/**
 * A growable column of longs with one writer and many readers. The writer appends; a reader may
 * read any index below a size it learned through a volatile read that followed the append (the
 * log's committed size), so no lock is needed. Chunks never move once written.
 */
final class LongColumn {
  private static final int CHUNK_BITS = 16;
  private static final int CHUNK = 1 << CHUNK_BITS;
  private volatile long[][] chunks = new long[4][];
  private long size;

  void add(long value) {
    int c = (int) (size >>> CHUNK_BITS);
    long[][] cs = chunks;
    if (c == cs.length) {
      long[][] grown = java.util.Arrays.copyOf(cs, cs.length * 2);
      chunks = cs = grown;
    }
    if (cs[c] == null) cs[c] = new long[CHUNK];
    cs[c][(int) (size & (CHUNK - 1))] = value;
    size++;
  }

  long get(long index) {
    return chunks[(int) (index >>> CHUNK_BITS)][(int) (index & (CHUNK - 1))];
  }

  /** Writer-side count, including appends not yet published to readers. */
  long writerSize() {
    return size;
  }
}
