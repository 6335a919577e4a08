package org.trailbook.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The server processes of one Trailbook side: one on the embedded store, or 1 to 3 on one shared
 * PostgreSQL store, each with its own port and data directory (its derived state). Requests are
 * spread over them in turn ({@link #next()}); any node takes any request.
 */
final class TrailbookNodes implements AutoCloseable {
  private final List<TrailbookProcess> processes = new ArrayList<>();
  private final List<Http> http = new ArrayList<>();
  private final RoundRobin<Http> turn;
  final BenchStore store;

  /**
   * Starts {@code store.nodes()} servers one after the other (the first brings the shared schema up
   * to date before the others connect), data directories {@code workDir/trailbook-<slug>-<n>}.
   */
  TrailbookNodes(BenchStore store, Optional<String> storeUrl, Path jar, Path workDir, String adminKey, List<String> javaOptions) throws IOException {
    this.store = store;
    try {
      for (int i = 1; i <= store.nodes(); i++) {
        Path data = workDir.resolve("trailbook-" + store.slug() + "-" + i);
        TrailbookProcess p = new TrailbookProcess(jar, data, adminKey, javaOptions, storeUrl, "bench-" + store.slug() + "-" + i);
        processes.add(p);
        http.add(new Http(p.url));
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly();
      throw e;
    }
    turn = new RoundRobin<>(http);
  }

  /** The node whose turn it is. */
  Http next() {
    return turn.next();
  }

  /** Every node's client, in start order. */
  List<Http> all() {
    return List.copyOf(http);
  }

  TrailbookProcess process(int i) {
    return processes.get(i);
  }

  int size() {
    return processes.size();
  }

  /** The base URLs of the nodes, in start order. */
  List<String> urls() {
    return processes.stream().map(p -> p.url).toList();
  }

  /** The highest peak resident memory of any node, in bytes (-1 where /proc is absent). */
  long peakRssBytes() {
    return processes.stream().mapToLong(TrailbookProcess::peakRssBytes).max().orElse(-1);
  }

  /** Bytes in every node's data directory. */
  long dataBytes() throws IOException {
    long sum = 0;
    for (TrailbookProcess p : processes) sum += directoryBytes(p.data);
    return sum;
  }

  /**
   * Fails unless every node of a PostgreSQL side keeps its log in the store: a node that wrote
   * journal segments into its data directory ran on the embedded store (a jar that ignores {@code
   * --store}), and its figures would be the file store's under another name.
   */
  void checkNoLocalJournal() throws IOException {
    if (store.kind() != BenchStore.Kind.POSTGRESQL) return;
    for (int i = 0; i < processes.size(); i++) {
      Path journal = processes.get(i).data.resolve("journal");
      if (!Files.isDirectory(journal)) continue;
      try (Stream<Path> files = Files.list(journal)) {
        if (files.anyMatch(f -> f.getFileName().toString().endsWith(".wal"))) {
          throw new IllegalStateException("node " + (i + 1) + " of the " + store.label() + " side wrote a file journal in " + journal
              + ": this server jar does not run on --store yet, so its figures would be the file store's");
        }
      }
    }
  }

  List<String> output(int i) {
    return processes.get(i).output();
  }

  /**
   * The bytes of the regular files under {@code dir}. A running server creates and deletes files meanwhile (Lucene's
   * temporary files, a journal segment being compacted): one gone between the listing and its size counts as 0.
   */
  static long directoryBytes(Path dir) throws IOException {
    if (!Files.exists(dir)) return 0;
    long[] total = {0};
    Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
      @Override
      public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) total[0] += attrs.size();
        return java.nio.file.FileVisitResult.CONTINUE;
      }

      @Override
      public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof java.nio.file.NoSuchFileException) return java.nio.file.FileVisitResult.CONTINUE;
        throw e;
      }
    });
    return total[0];
  }

  @Override
  public void close() throws InterruptedException {
    InterruptedException first = null;
    for (TrailbookProcess p : processes) {
      try {
        p.close();
      } catch (InterruptedException e) {
        if (first == null) first = e;
      }
    }
    if (first != null) throw first;
  }

  private void closeQuietly() {
    try {
      close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
