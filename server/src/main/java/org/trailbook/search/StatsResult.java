package org.trailbook.search;

import java.util.List;

/**
 * The stats of a window (definitions in docs/search.md). {@code changePct} is null when the previous window is empty;
 * {@code from}/{@code to} are the window the series covers.
 */
public record StatsResult(long from, long to, Bucket bucket, long total, long previousTotal, Double changePct, long signIns, long writes,
    long readsOther, long uniqueIps, List<Point> series, List<TopActor> topActors, List<CategoryCount> byCategory) {
  /** One bucket of the series. */
  public record Point(long start, long auth, long writes, long other) {}

  /** One of the most active non-system actors. */
  public record TopActor(String id, String name, String email, long count, long lastSeen) {}

  /** A category and how many events it has. */
  public record CategoryCount(String category, long count) {}
}
