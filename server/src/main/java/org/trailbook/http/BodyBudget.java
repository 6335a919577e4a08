package org.trailbook.http;

import java.util.concurrent.Semaphore;
import org.trailbook.OverloadedException;

/**
 * Bounds the request bodies held in memory at once: with virtual threads nothing else limits how
 * many uploads are read concurrently, so without it a burst of large batches could exhaust the
 * heap. A request reserves its declared length (or the body limit when it declares none) before
 * its body is read; when the budget is spent it is answered 503 with Retry-After.
 */
final class BodyBudget {
  private static final int UNIT = 1024;
  private final Semaphore kib;
  private final long maxBodyBytes;

  BodyBudget(long budgetBytes, long maxBodyBytes) {
    if (budgetBytes < maxBodyBytes) throw new IllegalArgumentException("the in-flight budget must hold at least one largest body");
    this.kib = new Semaphore((int) Math.min(Integer.MAX_VALUE, budgetBytes / UNIT));
    this.maxBodyBytes = maxBodyBytes;
  }

  /** A reservation, released when the request is done with its body. */
  interface Reservation extends AutoCloseable {
    @Override
    void close();
  }

  /** Reserves room for a body of {@code declaredLength} bytes (-1: unknown). */
  Reservation reserve(long declaredLength) {
    long bytes = declaredLength < 0 || declaredLength > maxBodyBytes ? maxBodyBytes : declaredLength;
    int units = (int) Math.max(1, (bytes + UNIT - 1) / UNIT);
    if (!kib.tryAcquire(units)) {
      throw new OverloadedException("too many request bodies are being read at once; retry shortly", 1);
    }
    return () -> kib.release(units);
  }
}
