package org.trailbook.search;

/**
 * The window a stats series covers, {@code [start, end)}, made sane whatever the request asked for and whatever times
 * the log holds: an event may carry any time from 1970 to 9999, and one such event stays in the log forever, so
 * neither a window derived from the earliest and latest events nor an absolute {@code from}/{@code to} may turn into
 * thousands of years of buckets (a 400 for every caller), overflow, or times that cannot be written in four digits.
 *
 * <ul>
 *   <li>Both ends lie within the times an event can have, {@link #MIN_TIME} to {@link #MAX_TIME}.
 *   <li>A window longer than {@link #MAX_SPAN} is cut to that span, at the end nearest to now: the span ending now
 *       if now lies within the window, else the span at the window's start or end.
 * </ul>
 *
 * The bucket limit applies to this window. Matching events outside it still count in the totals and in the series'
 * first or last bucket, so the series always adds up to the total.
 */
record StatsWindow(long start, long end) {
  /** 1970-01-01T00:00:00.000Z: the earliest time an event can have. */
  static final long MIN_TIME = 0L;
  /** 9999-12-31T23:59:59.999Z: the latest time an event can have. */
  static final long MAX_TIME = 253_402_300_799_999L;
  /** The longest window one series covers: 20 years of 365.25 days (1,044 weekly buckets, within the bucket limit). */
  static final long MAX_SPAN = 7_305L * 86_400_000L;

  /** The sane window for a requested or derived {@code [start, end)}. */
  static StatsWindow of(long start, long end, long now) {
    long s = Math.clamp(start, MIN_TIME, MAX_TIME - 1);
    long e = Math.clamp(end, s + 1, MAX_TIME);
    if (e - s > MAX_SPAN) {
      e = Math.clamp(now, s + MAX_SPAN, e);
      s = e - MAX_SPAN;
    }
    return new StatsWindow(s, e);
  }
}
