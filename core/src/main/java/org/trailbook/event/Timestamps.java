package org.trailbook.event;

import org.trailbook.Times;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * RFC 3339 date-times with a required offset, normalized to UTC milliseconds and formatted as
 * {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}. A hand-written scanner: no regex, no lenient parsing.
 */
final class Timestamps {
  /** 1970-01-01T00:00:00.000Z. */
  static final long MIN_MILLIS = 0L;
  /** 9999-12-31T23:59:59.999Z. */
  static final long MAX_MILLIS = 253_402_300_799_999L;
  /** Returned by {@link #parseMillis} for text that is not an RFC 3339 date-time with an offset. */
  static final long INVALID = Long.MIN_VALUE;

  private Timestamps() {}

  /**
   * Parses {@code YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)}; {@code t}/{@code z} may be lower
   * case and the fraction has 1 to 9 digits (truncated to milliseconds). Returns epoch milliseconds,
   * possibly out of the 1970–9999 range, or {@link #INVALID}.
   */
  static long parseMillis(String s) {
    int n = s.length();
    if (n < 20 || n > 40) return INVALID;
    if (s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':' || s.charAt(16) != ':') return INVALID;
    char t = s.charAt(10);
    if (t != 'T' && t != 't') return INVALID;
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return INVALID;
    int i = 19;
    int nanos = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
      int count = i - start;
      if (count < 1 || count > 9) return INVALID;
      nanos = digits(s, start, count);
      for (int k = count; k < 9; k++) nanos *= 10;
    }
    if (i >= n) return INVALID;
    int offsetSeconds;
    char z = s.charAt(i);
    if (z == 'Z' || z == 'z') {
      offsetSeconds = 0;
      i++;
    } else if (z == '+' || z == '-') {
      int oh = digits(s, i + 1, 2);
      int om;
      if (i + 6 == n && s.charAt(i + 3) == ':') {
        om = digits(s, i + 4, 2);
      } else if (i + 5 == n) {
        om = digits(s, i + 3, 2);
      } else {
        return INVALID;
      }
      if (oh < 0 || om < 0 || oh > 18 || om > 59) return INVALID;
      offsetSeconds = (z == '-' ? -1 : 1) * (oh * 3600 + om * 60);
      i = n;
    } else {
      return INVALID;
    }
    if (i != n) return INVALID;
    try {
      LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second);
      long epochSecond = local.toEpochSecond(ZoneOffset.ofTotalSeconds(offsetSeconds));
      return epochSecond * 1000 + nanos / 1_000_000;
    } catch (DateTimeException e) {
      return INVALID;
    }
  }

  static boolean inRange(long millis) {
    return millis >= MIN_MILLIS && millis <= MAX_MILLIS;
  }

  /** The non-negative value of {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String s, int from, int count) {
    if (from + count > s.length()) return -1;
    int value = 0;
    for (int k = from; k < from + count; k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') return -1;
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
