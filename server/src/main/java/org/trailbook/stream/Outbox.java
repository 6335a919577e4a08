package org.trailbook.stream;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One subscriber's outgoing messages between the thread that reads the log and the thread that writes the socket,
 * bounded in bytes: it never holds more than {@code capacity} bytes, except one message larger than that (taken only
 * into an empty outbox) and the final message. So a client that stops reading costs the server a bounded amount of
 * memory, whatever the log does meanwhile.
 */
final class Outbox {
  private final long capacity;
  private final java.util.concurrent.atomic.AtomicLong sharedPeak;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private long bytes;
  private long peak;
  private boolean finished;
  private boolean aborted;

  /** {@code sharedPeak} is raised to this outbox's peak as it grows (the hub's figure across all streams). */
  Outbox(long capacity, java.util.concurrent.atomic.AtomicLong sharedPeak) {
    this.capacity = capacity;
    this.sharedPeak = sharedPeak;
  }

  private void grew() {
    if (bytes > peak) {
      peak = bytes;
      sharedPeak.accumulateAndGet(peak, Math::max);
    }
  }

  /**
   * Adds a message, waiting at most {@code timeoutNanos} for room.
   *
   * @return false if there was no room in time, or the writer gave up (the client went away)
   */
  boolean offer(byte[] message, long timeoutNanos) throws InterruptedException {
    lock.lock();
    try {
      long nanos = timeoutNanos;
      while (!aborted && !finished && !queue.isEmpty() && bytes + message.length > capacity) {
        if (nanos <= 0) return false;
        nanos = notFull.awaitNanos(nanos);
      }
      if (aborted || finished) return false;
      queue.add(message);
      bytes += message.length;
      grew();
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** No more messages after {@code last} (null for none): the writer sends what is queued, then ends the response. */
  void finish(byte[] last) {
    lock.lock();
    try {
      if (finished) return;
      if (last != null) {
        queue.add(last);
        bytes += last.length;
        grew();
      }
      finished = true;
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /** The writer failed (the client went away): drop everything and refuse further messages. */
  void abort() {
    lock.lock();
    try {
      aborted = true;
      queue.clear();
      bytes = 0;
      notFull.signalAll();
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The next message, waiting for one; null once finished and drained, or aborted. */
  byte[] take() throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty() && !finished && !aborted) notEmpty.await(1, TimeUnit.SECONDS);
      if (aborted) return null;
      byte[] m = queue.poll();
      if (m != null) {
        bytes -= m.length;
        notFull.signal();
      }
      return m;
    } finally {
      lock.unlock();
    }
  }

  boolean isEmpty() {
    lock.lock();
    try {
      return queue.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  boolean aborted() {
    lock.lock();
    try {
      return aborted;
    } finally {
      lock.unlock();
    }
  }

  /** The most bytes this outbox ever held at once. */
  long peakBytes() {
    lock.lock();
    try {
      return peak;
    } finally {
      lock.unlock();
    }
  }
}
