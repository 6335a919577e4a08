package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  final AtomicLong nanos = new AtomicLong();

  @Test
  void allowsABurstOfTwoSecondsThenRefillsAtTheRate() {
    RateLimiter limiter = new RateLimiter(10, nanos::get);
    for (int i = 0; i < 20; i++) limiter.acquire("k");
    assertThatThrownBy(() -> limiter.acquire("k"))
        .isInstanceOfSatisfying(RateLimiter.RateLimitedException.class, e -> assertThat(e.retryAfterSeconds).isEqualTo(1))
        .hasMessageContaining("10 per second");
    nanos.addAndGet(100_000_000L); // 0.1 s gives one token back
    limiter.acquire("k");
    assertThatThrownBy(() -> limiter.acquire("k")).isInstanceOf(RateLimiter.RateLimitedException.class);
  }

  @Test
  void keepsCallersApart() {
    RateLimiter limiter = new RateLimiter(1, nanos::get);
    limiter.acquire("a");
    limiter.acquire("a");
    assertThatThrownBy(() -> limiter.acquire("a")).isInstanceOf(RateLimiter.RateLimitedException.class);
    limiter.acquire("b");
  }

  @Test
  void zeroTurnsLimitingOff() {
    RateLimiter limiter = new RateLimiter(0, nanos::get);
    for (int i = 0; i < 10_000; i++) limiter.acquire("k");
  }
}
