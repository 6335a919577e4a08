package org.trailbook.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The free space under the data directory against a floor: below it the node is not ready, so an
 * orchestrator stops sending it traffic before a full disk makes every write fail. Read at each
 * probe (one {@code statfs}), never on the write path.
 */
public record DiskSpace(Path dir, long minFreeBytes) {
  /** Why the node should not get traffic, if free space is below the floor (or cannot be read). */
  public Optional<String> problem() {
    if (minFreeBytes <= 0) return Optional.empty();
    try {
      long free = Files.getFileStore(dir).getUsableSpace();
      if (free >= minFreeBytes) return Optional.empty();
      return Optional.of("the data directory's disk has " + mib(free) + " MiB free, below the floor of " + mib(minFreeBytes)
          + " MiB (TRAILBOOK_MIN_FREE_DISK_BYTES)");
    } catch (IOException e) {
      return Optional.of("the free space of the data directory's disk cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static long mib(long bytes) {
    return bytes >> 20;
  }
}
