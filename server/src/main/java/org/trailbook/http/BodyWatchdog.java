package org.trailbook.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds every body being read to the minimum data rate even while its read is blocked. A read only
 * returns when body bytes arrive, so a client that keeps its connection busy without sending any (chunk
 * framing: a chunk-size line of endless zeros, long chunk extensions) would never be checked on a read
 * and never hit the idle timeout; once a second this looks at every body and cuts the connection of one
 * that is too slow, which ends its blocked read and frees its share of the budget.
 */
final class BodyWatchdog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BodyWatchdog.class);
  private final Set<GatedBody> reading = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("body-watchdog").daemon(true).factory());

  BodyWatchdog(Duration period) {
    timer.scheduleWithFixedDelay(this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  void watch(GatedBody body) {
    reading.add(body);
  }

  void forget(GatedBody body) {
    reading.remove(body);
  }

  private void check() {
    for (GatedBody body : reading) {
      try {
        body.enforce();
      } catch (RuntimeException e) {
        // one body's trouble must not stop the checks of the others (nor cancel this schedule)
        log.warn("body watchdog: cannot check a request body", e);
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
