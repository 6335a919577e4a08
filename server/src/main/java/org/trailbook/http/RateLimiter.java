package org.trailbook.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.trailbook.TrailbookException;

/**
 * Requests per second per credential, as a token bucket (burst = two seconds' worth). A caller over
 * its rate gets 429 with {@code Retry-After}; a rate of 0 turns limiting off.
 */
final class RateLimiter {
  private final double perSecond;
  private final double burst;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** A caller over its rate: 429. */
  static final class RateLimitedException extends TrailbookException {
    final int retryAfterSeconds;

    RateLimitedException(String message, int retryAfterSeconds) {
      super(message);
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }

  private static final class Bucket {
    double tokens;
    long last;

    Bucket(double tokens, long last) {
      this.tokens = tokens;
      this.last = last;
    }
  }

  RateLimiter(double perSecond, LongSupplier nanoClock) {
    this(perSecond, Math.max(1, perSecond * 2), nanoClock);
  }

  /** With an explicit burst: {@code burst} at once, then {@code perSecond}. */
  RateLimiter(double perSecond, double burst, LongSupplier nanoClock) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoClock = nanoClock;
  }

  /** Takes one request from {@code caller}'s bucket or throws {@link RateLimitedException}. */
  void acquire(String caller) {
    if (perSecond <= 0) return;
    long now = nanoClock.getAsLong();
    Bucket b = buckets.computeIfAbsent(caller, c -> new Bucket(burst, now));
    synchronized (b) {
      b.tokens = Math.min(burst, b.tokens + (now - b.last) / 1e9 * perSecond);
      b.last = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return;
      }
      int wait = (int) Math.ceil((1 - b.tokens) / perSecond);
      throw new RateLimitedException("too many requests for this API key: the limit is " + (long) perSecond + " per second", Math.max(1, wait));
    }
  }
}
