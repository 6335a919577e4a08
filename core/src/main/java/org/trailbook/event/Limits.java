package org.trailbook.event;

/**
 * The size limits applied to an ingest request. {@link #DEFAULTS} holds the documented defaults;
 * each {@code withXxx} method returns a copy with one limit overridden.
 *
 * @param maxBodyBytes request body size in bytes
 * @param maxEvents events per request
 * @param maxEventBytes one event's JSON size in bytes, as sent
 * @param maxDepth nesting depth of objects and arrays inside one event (the event itself is 1)
 * @param maxStringChars length of free-form strings (messages, stacks, metadata and body values)
 */
public record Limits(int maxBodyBytes, int maxEvents, int maxEventBytes, int maxDepth, int maxStringChars) {
  /** 5 MiB body, 1,000 events, 256 KiB per event, depth 32, 65,536-character strings. */
  public static final Limits DEFAULTS = new Limits(5 * 1024 * 1024, 1_000, 256 * 1024, 32, 65_536);

  /** Deeper nesting than this is refused even as a configured limit: it would risk stack overflows. */
  static final int MAX_CONFIGURABLE_DEPTH = 1_000;

  public Limits {
    positive("maxBodyBytes", maxBodyBytes);
    positive("maxEvents", maxEvents);
    positive("maxEventBytes", maxEventBytes);
    positive("maxDepth", maxDepth);
    positive("maxStringChars", maxStringChars);
    if (maxDepth > MAX_CONFIGURABLE_DEPTH) {
      throw new IllegalArgumentException("maxDepth must be at most " + MAX_CONFIGURABLE_DEPTH);
    }
  }

  public Limits withMaxBodyBytes(int value) {
    return new Limits(value, maxEvents, maxEventBytes, maxDepth, maxStringChars);
  }

  public Limits withMaxEvents(int value) {
    return new Limits(maxBodyBytes, value, maxEventBytes, maxDepth, maxStringChars);
  }

  public Limits withMaxEventBytes(int value) {
    return new Limits(maxBodyBytes, maxEvents, value, maxDepth, maxStringChars);
  }

  public Limits withMaxDepth(int value) {
    return new Limits(maxBodyBytes, maxEvents, maxEventBytes, value, maxStringChars);
  }

  public Limits withMaxStringChars(int value) {
    return new Limits(maxBodyBytes, maxEvents, maxEventBytes, maxDepth, value);
  }

  private static void positive(String name, int value) {
    if (value < 1) throw new IllegalArgumentException(name + " must be at least 1");
  }
}
