package org.trailbook.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Hands out the nodes of a side in turn, across threads: how the load is spread over several nodes. */
final class RoundRobin<T> {
  private final List<T> items;
  private final AtomicLong next = new AtomicLong();

  RoundRobin(List<T> items) {
    if (items.isEmpty()) throw new IllegalArgumentException("nothing to hand out");
    this.items = List.copyOf(items);
  }

  /** The next item in turn (the first call answers the first item). */
  T next() {
    return items.get((int) Math.floorMod(next.getAndIncrement(), (long) items.size()));
  }

  List<T> all() {
    return items;
  }

  int size() {
    return items.size();
  }
}
