package org.trailbook.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * I2: single events offered at a fixed rate, open loop: each send is due at its own time, and its
 * latency is counted from that time, so a stalled server is not hidden by a waiting client.
 */
final class LatencyProbe {
  interface Sender {
    void send(int i) throws Exception;
  }

  /** A sender bound to one worker thread (one connection, for instance). */
  interface SenderFactory {
    Sender open() throws Exception;
  }

  /**
   * Sends {@code count} items at {@code perSecond} from {@code workers} threads: item i is due at
   * start + i/rate, taken by the next free worker, and its latency runs from when it was due.
   */
  static Latencies run(int perSecond, int count, int workers, SenderFactory senders) throws InterruptedException {
    Latencies lat = new Latencies();
    for (Sample s : run(perSecond, count, () -> Long.MAX_VALUE, workers, senders)) lat.add(s.took());
    return lat;
  }

  /** One send: when it was due ({@code System.nanoTime}) and how long after that it was answered. */
  record Sample(long due, long took) {}

  /**
   * Sends at {@code perSecond}, as {@link #run} does, every item due before {@code stopAt} (a
   * {@code System.nanoTime}, {@link Long#MAX_VALUE} until the caller knows it), and returns every
   * send with its due time, so the latencies of a window (R2: while a purge ran) can be picked.
   * Items are stopped by due time, not by the moment the caller stops, so a server that fell behind
   * still answers every item of the window.
   */
  static List<Sample> runUntil(int perSecond, LongSupplier stopAt, int workers, SenderFactory senders) throws InterruptedException {
    return run(perSecond, Integer.MAX_VALUE, stopAt, workers, senders);
  }

  /** Sends {@code count} items as {@link #run} does; returns every send with its due time, in due order. */
  static List<Sample> samples(int perSecond, int count, int workers, SenderFactory senders) throws InterruptedException {
    List<Sample> out = new ArrayList<>(run(perSecond, count, () -> Long.MAX_VALUE, workers, senders));
    out.sort(java.util.Comparator.comparingLong(Sample::due));
    return out;
  }

  /** The latencies of the samples due in {@code [from, to]}. */
  static Latencies within(List<Sample> samples, long from, long to) {
    Latencies lat = new Latencies();
    for (Sample s : samples) if (s.due() >= from && s.due() <= to) lat.add(s.took());
    return lat;
  }

  private static List<Sample> run(int perSecond, int count, LongSupplier stopAt, int workers, SenderFactory senders) throws InterruptedException {
    List<Sample> lat = new ArrayList<>();
    long period = 1_000_000_000L / perSecond;
    long start = System.nanoTime() + 100_000_000L;
    AtomicInteger next = new AtomicInteger();
    List<Throwable> errors = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      threads.add(Thread.ofPlatform().name("probe-" + w).start(() -> {
        try {
          Sender sender = senders.open();
          for (int i; (i = next.getAndIncrement()) < count; ) {
            long due = start + i * period;
            if (due >= stopAt.getAsLong()) break;
            long wait = due - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            sender.send(i);
            long took = System.nanoTime() - due;
            synchronized (lat) {
              lat.add(new Sample(due, took));
            }
          }
        } catch (Throwable t) {
          synchronized (errors) {
            errors.add(t);
          }
        }
      }));
    }
    for (Thread t : threads) t.join();
    if (!errors.isEmpty()) throw new IllegalStateException(errors.size() + " senders failed", errors.getFirst());
    return lat;
  }
}
