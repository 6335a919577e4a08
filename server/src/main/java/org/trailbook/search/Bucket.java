package org.trailbook.search;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/** A stats series bucket size, aligned in UTC (weeks start on Monday). */
public enum Bucket {
  HOUR(3_600_000L), DAY(86_400_000L), WEEK(7 * 86_400_000L);

  final long millis;

  Bucket(long millis) {
    this.millis = millis;
  }

  /** The start of the bucket holding {@code t}. */
  long floor(long t) {
    Instant i = Instant.ofEpochMilli(t);
    return switch (this) {
      case HOUR -> i.truncatedTo(ChronoUnit.HOURS).toEpochMilli();
      case DAY -> i.truncatedTo(ChronoUnit.DAYS).toEpochMilli();
      case WEEK -> i.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
          .toInstant().toEpochMilli();
    };
  }

  /** The default for a window: up to a day hourly, up to 30 days daily, else weekly. */
  static Bucket forWindow(long millis) {
    if (millis <= DAY.millis) return HOUR;
    if (millis <= 30 * DAY.millis) return DAY;
    return WEEK;
  }

  String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
