package org.trailbook.search;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * A time written in a query: a UTC day ({@code 2026-11-01}) covers that whole day; a timestamp with offset
 * ({@code 2026-11-01T10:00:00Z}) covers its millisecond. {@code [start, end)} in epoch milliseconds.
 */
record TimeValue(long start, long end) {
  /** Years 0000 to 9999 only, so window arithmetic never overflows. */
  private static final long MIN = -62_167_219_200_000L;
  private static final long MAX = 253_402_300_799_999L;

  static Optional<TimeValue> parse(String text) {
    String s = text.toUpperCase(Locale.ROOT).replace(' ', '+');
    try {
      if (s.length() == 10) {
        long start = LocalDate.parse(s, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        return start < MIN || start > MAX ? Optional.empty() : Optional.of(new TimeValue(start, start + 86_400_000L));
      }
      long t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
      return t < MIN || t > MAX ? Optional.empty() : Optional.of(new TimeValue(t, t + 1));
    } catch (DateTimeParseException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  /** An RFC 3339 timestamp with offset (as {@code from}/{@code to} take), in epoch milliseconds. */
  static Optional<Long> instant(String text) {
    try {
      long t = OffsetDateTime.parse(text.toUpperCase(Locale.ROOT).replace(' ', '+'), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
      return t < MIN || t > MAX ? Optional.empty() : Optional.of(t);
    } catch (DateTimeParseException | ArithmeticException e) {
      return Optional.empty();
    }
  }
}
