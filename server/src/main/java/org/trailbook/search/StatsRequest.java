package org.trailbook.search;

/**
 * {@code GET /v1/stats}: the filter and the window the KPIs and series cover, {@code [windowStart, windowEnd)}; a null
 * start means "from the earliest matching event". {@code bucket} null means the default for the window. {@code now} is
 * where a window too long for one series is cut to (see {@link StatsWindow}).
 */
public record StatsRequest(EventFilter filter, Long windowStart, long windowEnd, Bucket bucket, long now) {
  /** A request whose window ends now. */
  public StatsRequest(EventFilter filter, Long windowStart, long windowEnd, Bucket bucket) {
    this(filter, windowStart, windowEnd, bucket, windowEnd);
  }
}
