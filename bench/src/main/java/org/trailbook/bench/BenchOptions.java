package org.trailbook.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What one benchmark run measures and how: workload W's size and seed, the measures wanted, the server jar, the
 * stores Trailbook runs on, and whether R2 measures its PostgreSQL peer.
 */
record BenchOptions(long events, long seed, String pgUrl, Set<String> only, Path serverJar, Path workDir, int runs, int warmup,
    int latencyEvents, List<String> serverJavaOptions, List<BenchStore> stores, boolean retentionPeer) {
  /** The file store alone, on one node: the benchmark as it ran before the PostgreSQL store. */
  BenchOptions(long events, long seed, String pgUrl, Set<String> only, Path serverJar, Path workDir, int runs, int warmup,
      int latencyEvents, List<String> serverJavaOptions) {
    this(events, seed, pgUrl, only, serverJar, workDir, runs, warmup, latencyEvents, serverJavaOptions,
        List.of(new BenchStore(BenchStore.Kind.FILE, 1)), true);
  }

  BenchOptions {
    if (stores.isEmpty()) throw new IllegalArgumentException("no store to run Trailbook on");
    stores = List.copyOf(stores);
  }

  boolean wants(String id) {
    return only.isEmpty() || only.contains(id);
  }
}
