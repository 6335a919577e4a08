package org.trailbook.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples a process's resident memory (VmRSS in /proc) every few milliseconds on its own thread and
 * keeps the highest value seen: the memory a phase of the benchmark (R2's purge) takes, where the
 * process-lifetime peak (VmHWM) would also count the load before it.
 */
final class RssSampler implements AutoCloseable {
  private final long pid;
  private final AtomicLong max = new AtomicLong(-1);
  private final AtomicLong maxAnon = new AtomicLong(-1);
  private volatile boolean running = true;
  private final Thread thread;

  RssSampler(long pid, long everyMillis) {
    this.pid = pid;
    thread = Thread.ofPlatform().name("rss-" + pid).daemon(true).start(() -> {
      while (running) {
        max.accumulateAndGet(rssBytes(pid), Math::max);
        maxAnon.accumulateAndGet(anonBytes(pid), Math::max);
        try {
          Thread.sleep(everyMillis); // the sampling period itself, not a wait for a condition
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  /** The highest resident memory seen so far, in bytes (-1 where /proc is absent). */
  long maxBytes() {
    return max.get();
  }

  /** Stops sampling after one last sample; returns the highest value seen. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join();
    max.accumulateAndGet(rssBytes(pid), Math::max);
    maxAnon.accumulateAndGet(anonBytes(pid), Math::max);
  }

  /** The highest anonymous resident memory seen (RssAnon: the heap and native memory, not mapped files such as Lucene's). */
  long maxAnonBytes() {
    return maxAnon.get();
  }

  /** The process's resident memory now (VmRSS), in bytes, or -1 where /proc is absent. */
  static long rssBytes(long pid) {
    return status(pid, "VmRSS:");
  }

  /** The anonymous part of it (RssAnon), in bytes, or -1. */
  static long anonBytes(long pid) {
    return status(pid, "RssAnon:");
  }

  private static long status(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field)) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
