package org.trailbook;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The one timestamp format of Trailbook: UTC, millisecond precision, always three fraction digits
 * ({@code 2026-11-22T03:58:23.206Z}) — in stored entries, stats and job states alike.
 */
public final class Times {
  private Times() {}

  public static String format(Instant t) {
    return format(t.toEpochMilli());
  }

  /** Formats epoch milliseconds (years 0000–9999) as {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}. */
  public static String format(long millis) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), 0, ZoneOffset.UTC);
    char[] c = new char[24];
    put(c, 0, t.getYear(), 4);
    c[4] = '-';
    put(c, 5, t.getMonthValue(), 2);
    c[7] = '-';
    put(c, 8, t.getDayOfMonth(), 2);
    c[10] = 'T';
    put(c, 11, t.getHour(), 2);
    c[13] = ':';
    put(c, 14, t.getMinute(), 2);
    c[16] = ':';
    put(c, 17, t.getSecond(), 2);
    c[19] = '.';
    put(c, 20, Math.floorMod(millis, 1000), 3);
    c[23] = 'Z';
    return new String(c);
  }

  private static void put(char[] c, int at, int value, int width) {
    for (int k = width - 1; k >= 0; k--) {
      c[at + k] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
