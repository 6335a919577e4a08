package org.trailbook.server;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a node in the reverse of the order they were registered, closed one by one even when
 * one of them fails: a start that fails half way releases what it opened (threads, the data
 * directory's lock, the index's lock), and a stop never leaves a part open because another threw.
 */
final class Closer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Closer.class);

  private record Part(String name, AutoCloseable part) {}

  private final Deque<Part> parts = new ArrayDeque<>();

  /** Registers {@code part} to be closed before everything registered earlier; returns it. */
  synchronized <T extends AutoCloseable> T add(String name, T part) {
    parts.push(new Part(name, part));
    return part;
  }

  @Override
  public synchronized void close() {
    while (!parts.isEmpty()) {
      Part p = parts.pop();
      try {
        p.part().close();
      } catch (Exception | Error e) {
        log.error("could not close the {} cleanly; closing the other parts anyway", p.name(), e);
      }
    }
  }
}
