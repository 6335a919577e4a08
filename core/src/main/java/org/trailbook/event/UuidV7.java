package org.trailbook.event;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * UUID version 7 generator (RFC 9562 §5.7): 48-bit Unix milliseconds, version 7, a 12-bit counter
 * in {@code rand_a} (RFC 9562 §6.2 method 1, seeded randomly each millisecond) so that ids from one
 * generator increase strictly, variant {@code 10}, and 62 random bits from a fast generator seeded
 * by {@link SecureRandom}. If the clock goes back or the counter overflows, the timestamp of the
 * previous id is kept or advanced by one millisecond. Thread-safe.
 */
public final class UuidV7 {
  private final LongSupplier clock;
  private final SplittableRandom random;
  private long lastMillis = Long.MIN_VALUE;
  private int counter;

  public UuidV7() {
    this(System::currentTimeMillis);
  }

  UuidV7(LongSupplier clock) {
    this.clock = clock;
    this.random = new SplittableRandom(new SecureRandom().nextLong());
  }

  /** The next id. */
  public synchronized UUID next() {
    long now = clock.getAsLong();
    if (now > lastMillis) {
      lastMillis = now;
      counter = random.nextInt(1 << 11); // leave half the counter space for ids in the same ms
    } else if (++counter > 0xfff) {
      lastMillis++;
      counter = random.nextInt(1 << 11);
    }
    long msb = ((lastMillis & 0xffff_ffff_ffffL) << 16) | 0x7000L | counter;
    long lsb = (random.nextLong() & 0x3fff_ffff_ffff_ffffL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }

  /** The next id as lowercase hyphenated text. */
  public String nextString() {
    return next().toString();
  }
}
