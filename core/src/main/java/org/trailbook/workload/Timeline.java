package org.trailbook.workload;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Spreads N events over the window before {@code end}, in ascending order, with a daily and weekly rhythm.
 *
 * <p>The window is cut into hours weighted by a working-day profile (UTC); event n sits at the quantile (n + u) / N
 * of the cumulative weight, u uniform in [0, 1), so later events never get earlier times.
 */
final class Timeline {
  static final long HOUR_MS = 3_600_000L;

  private final long startMs;
  private final long events;
  private final double[] cumulative; // cumulative[h] = weight of hours before h, cumulative[hours] = 1
  private final double[] weight;

  Timeline(Instant end, Duration window, long events) {
    this.startMs = end.toEpochMilli() - window.toMillis();
    this.events = events;
    int hours = (int) (window.toMillis() / HOUR_MS);
    weight = new double[hours];
    cumulative = new double[hours + 1];
    double sum = 0;
    for (int h = 0; h < hours; h++) {
      LocalDateTime middle = LocalDateTime.ofEpochSecond((startMs + h * HOUR_MS + HOUR_MS / 2) / 1000, 0, ZoneOffset.UTC);
      weight[h] = rhythm(middle.getHour(), middle.getDayOfWeek());
      sum += weight[h];
    }
    for (int h = 0; h < hours; h++) {
      weight[h] /= sum;
      cumulative[h + 1] = cumulative[h] + weight[h];
    }
  }

  /** Relative activity at an hour of a day: busy office hours, quiet nights, weekends at 35 %. */
  static double rhythm(int hourOfDay, DayOfWeek day) {
    double daily = 0.25 + Math.exp(-Math.pow((hourOfDay - 13.5) / 4.5, 2));
    boolean weekend = day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY;
    return weekend ? 0.35 * daily : daily;
  }

  long startMillis() {
    return startMs;
  }

  /** The time of event {@code n} (0-based), {@code u} uniform in [0, 1). */
  long millisOf(long n, double u) {
    double q = (n + u) / events;
    int lo = 0;
    int hi = weight.length - 1;
    while (lo < hi) { // last hour h with cumulative[h] <= q
      int mid = (lo + hi + 1) >>> 1;
      if (cumulative[mid] <= q) lo = mid;
      else hi = mid - 1;
    }
    double within = Math.min(1.0, Math.max(0.0, (q - cumulative[lo]) / weight[lo]));
    long ms = startMs + lo * HOUR_MS + (long) (within * HOUR_MS);
    return Math.min(ms, startMs + weight.length * HOUR_MS - 1);
  }

  /** RFC 3339 UTC with milliseconds, e.g. {@code 2026-11-20T13:45:10.123Z}. */
  static String format(long epochMillis) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000), 0, ZoneOffset.UTC);
    int ms = Math.floorMod(epochMillis, 1000);
    StringBuilder out = new StringBuilder(24);
    pad(out, t.getYear(), 4).append('-');
    pad(out, t.getMonthValue(), 2).append('-');
    pad(out, t.getDayOfMonth(), 2).append('T');
    pad(out, t.getHour(), 2).append(':');
    pad(out, t.getMinute(), 2).append(':');
    pad(out, t.getSecond(), 2).append('.');
    return pad(out, ms, 3).append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder out, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) out.append('0');
    return out.append(digits);
  }
}
