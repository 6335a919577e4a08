package org.trailbook.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Bytes of a server's data directory (R2): the journal's, all of it, and each top-level part's
 * (journal, index, tree, checkpoints, ...), plus {@code journal/purged-leaves} (the leaf hashes a
 * purge keeps, inside the journal's figure).
 */
record Bytes(long journal, long total, Map<String, Long> parts) {
  /** The data directory's bytes, less the tree of workspace {@code leaveOut} (R2's probe: it measures W's). */
  static Bytes of(Path data, String leaveOut) throws IOException {
    Map<String, Long> parts = new TreeMap<>();
    try (Stream<Path> top = Files.list(data)) {
      for (Path p : top.toList()) parts.put(p.getFileName().toString(), Files.isDirectory(p) ? TrailbookNodes.directoryBytes(p) : Files.size(p));
    }
    long probeTree = TrailbookNodes.directoryBytes(data.resolve("tree").resolve(leaveOut));
    parts.computeIfPresent("tree", (k, v) -> v - probeTree);
    Path purgedLeaves = data.resolve("journal").resolve("purged-leaves");
    if (Files.isDirectory(purgedLeaves)) parts.put("journal/purged-leaves", TrailbookNodes.directoryBytes(purgedLeaves));
    long total = parts.entrySet().stream().filter(e -> !e.getKey().contains("/")).mapToLong(Map.Entry::getValue).sum();
    return new Bytes(parts.getOrDefault("journal", 0L), total, parts);
  }

  /** One line for the run's log: the totals and every part of at least 1 KiB. */
  String describe() {
    StringBuilder s = new StringBuilder(String.format("%,d bytes in the data directory, %,d in the journal (", total, journal));
    int i = 0;
    for (Map.Entry<String, Long> e : parts.entrySet()) {
      if (e.getValue() < 1024) continue;
      s.append(i++ == 0 ? "" : ", ").append(e.getKey()).append(' ').append(String.format("%,d", e.getValue()));
    }
    return s.append(')').toString();
  }
}
