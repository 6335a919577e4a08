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
  static Optional<TimeValue> parse(String text) {
    String s = text.toUpperCase(Locale.ROOT).replace(' ', '+');
    try {
      if (s.length() == 10) {
        long start = LocalDate.parse(s, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        return Optional.of(new TimeValue(start, start + 86_400_000L));
      }
      long t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
      return Optional.of(new TimeValue(t, t + 1));
    } catch (DateTimeParseException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  /** An RFC 3339 timestamp with offset (as {@code from}/{@code to} take), in epoch milliseconds. */
  static Optional<Long> instant(String text) {
    try {
      return Optional.of(OffsetDateTime.parse(text.toUpperCase(Locale.ROOT).replace(' ', '+'), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant().toEpochMilli());
    } catch (DateTimeParseException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  static String format(long millis) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(millis));
  }
}
