package org.trailbook.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * libfaketime (Debian package {@code faketime}): runs the real server jar with its clock moved
 * forward by whole days, so R2 ages entries by the server's own {@code received_at} with no back
 * door in the server.
 *
 * <p>The library is preloaded into the JVM directly ({@code LD_PRELOAD} and {@code FAKETIME}), not
 * through the {@code faketime} wrapper, which forks and would leave the benchmark holding the
 * wrapper's pid instead of the server's (needed for its memory). The plain variant, not {@code
 * libfaketimeMT}: the MT variant serialises every clock read through one mutex (so that a clock
 * that starts at a given time or runs at another speed looks monotonic across threads), which made
 * each {@code System.nanoTime} cost about 1 µs instead of 0.1 µs here, a tax on every request the
 * server times; with a constant offset, as here, there is nothing to serialise. The monotonic clock is faked too (the
 * library's default): the offset is constant, so {@code System.nanoTime} still measures durations
 * correctly, whereas {@code FAKETIME_DONT_FAKE_MONOTONIC=1} breaks the JVM's timed waits with Java
 * 25 here: the JVM waits on condition variables of the monotonic clock, and libfaketime then turns
 * their deadlines into ones already past, so every {@code LockSupport.parkNanos} and {@code
 * Object.wait(ms)} returned at once (measured: a 50 ms park took 0.0 ms) and every timed wait of
 * the server spun.
 */
final class Faketime {
  static final String LIBRARY = "libfaketime.so.1";
  private static final List<Path> ROOTS = List.of(Path.of("/usr/lib"), Path.of("/usr/local/lib"), Path.of("/usr/lib64"));

  private Faketime() {}

  /**
   * The library's path.
   *
   * @throws IllegalStateException naming the package to install when it is absent: R2 never skips silently
   */
  static Path library() {
    return library(ROOTS);
  }

  /** The library's path under one of {@code roots}; else the error {@link #library()} throws. */
  static Path library(List<Path> roots) {
    return find(roots).orElseThrow(() -> new IllegalStateException("R2 needs libfaketime (" + LIBRARY + ") to age entries by the server's own clock,"
        + " and it is not installed: install the Debian package 'faketime' (apt-get install faketime)"));
  }

  /** {@code <root>/faketime/LIBRARY} or {@code <root>/<multiarch>/faketime/LIBRARY} under the first root that has it. */
  static java.util.Optional<Path> find(List<Path> roots) {
    for (Path root : roots) {
      Path direct = root.resolve("faketime").resolve(LIBRARY);
      if (Files.isRegularFile(direct)) return java.util.Optional.of(direct);
      if (!Files.isDirectory(root)) continue;
      try (DirectoryStream<Path> arches = Files.newDirectoryStream(root)) {
        for (Path arch : arches) {
          Path lib = arch.resolve("faketime").resolve(LIBRARY);
          if (Files.isRegularFile(lib)) return java.util.Optional.of(lib);
        }
      } catch (IOException e) {
        // an unreadable directory holds no library we can use
      }
    }
    return java.util.Optional.empty();
  }

  /** The environment that moves a process's clocks {@code days} days ahead of the real time. */
  static Map<String, String> environment(Path library, int days) {
    return Map.of("LD_PRELOAD", library.toString(), "FAKETIME", "+" + days + "d");
  }
}
