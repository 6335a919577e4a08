package org.trailbook.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Waits until a server process is settled: its CPU time (utime + stime in /proc) grew by less than {@code cores} of a
 * core over a whole window. After a large load the server goes on merging Lucene segments for minutes, and I2 measured
 * then says more about those merges than about what comes next; R2 settles the server before its I2 baseline and its
 * purges, so the two compare.
 */
final class ServerSettle {
  private static final Duration WINDOW = Duration.ofSeconds(3);
  private static final double CORES = 0.25;

  private ServerSettle() {}

  /** Seconds waited; after {@code timeout} it says so and goes on (a server that never settles is a finding too). */
  static double await(long pid, Duration timeout, PrintStream log) throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    double used = 0;
    while (System.nanoTime() < deadline) {
      double before = cpuSeconds(pid);
      Thread.sleep(WINDOW.toMillis()); // the measuring window itself, not a wait for a condition
      double after = cpuSeconds(pid);
      if (before < 0 || after < 0) return 0; // no /proc: nothing to wait on
      used = (after - before) / (WINDOW.toMillis() / 1000.0);
      if (used < CORES) {
        double waited = (System.nanoTime() - t0) / 1e9;
        log.printf("    the server settled after %.0f s (%.2f cores over the last %d s)%n", waited, used, WINDOW.toSeconds());
        return waited;
      }
    }
    log.printf("    the server did not settle within %d s (still %.2f cores): measuring anyway%n", timeout.toSeconds(), used);
    return timeout.toSeconds();
  }

  /** The process's CPU seconds so far (user + system), or -1 where /proc is absent. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // after "pid (comm) ": field 3 on
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
      return ticks / 100.0; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
