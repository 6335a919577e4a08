package org.trailbook.event;

import org.trailbook.Times;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
  private static String normalize(String s) {
    return Times.format(Timestamps.parseMillis(s));
  }

  @ParameterizedTest
  @CsvSource({
    "2024-05-01T12:00:00Z, 2024-05-01T12:00:00.000Z",
    "2024-05-01t12:00:00z, 2024-05-01T12:00:00.000Z",
    "2024-05-01T12:00:00.5Z, 2024-05-01T12:00:00.500Z",
    "2024-05-01T12:00:00.123456789Z, 2024-05-01T12:00:00.123Z",
    "2024-05-01T14:30:00+02:30, 2024-05-01T12:00:00.000Z",
    "2024-05-01T02:00:00-1000, 2024-05-01T12:00:00.000Z",
    "2024-01-01T00:30:00+01:00, 2023-12-31T23:30:00.000Z",
    "1970-01-01T00:00:00Z, 1970-01-01T00:00:00.000Z",
    "9999-12-31T23:59:59.999Z, 9999-12-31T23:59:59.999Z",
  })
  void normalizesToUtcMilliseconds(String in, String out) {
    assertThat(normalize(in)).isEqualTo(out);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "2024-05-01T12:00:00", "2024-05-01 12:00:00Z", "2024-05-01T12:00Z", "2024-02-30T12:00:00Z",
    "2024-13-01T12:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T12:00:60Z", "2024-05-01T12:00:00.Z",
    "2024-05-01T12:00:00.1234567890Z", "2024-05-01T12:00:00+2:00", "2024-05-01T12:00:00+19:00",
    "2024-05-01T12:00:00+02:60", "2024-05-01T12:00:00+02:00x", "+2024-05-01T12:00:00Z", "1714564800",
    "2024-05-01T12:00:00Z ", "２０２４-05-01T12:00:00Z", ""
  })
  void refusesAnythingElse(String in) {
    assertThat(Timestamps.parseMillis(in)).isEqualTo(Timestamps.INVALID);
  }

  @Test
  void rangeIs1970To9999() {
    assertThat(Timestamps.inRange(Timestamps.parseMillis("1969-12-31T23:59:59.999Z"))).isFalse();
    assertThat(Timestamps.inRange(Timestamps.parseMillis("1970-01-01T01:00:00+01:00"))).isTrue();
    assertThat(Timestamps.inRange(Timestamps.parseMillis("9999-12-31T23:59:59-01:00"))).isFalse();
  }

  @Test
  void formatMatchesInstantForAnyMillisecond() {
    long millis = 1_714_564_800_007L;
    assertThat(Times.format(millis)).isEqualTo("2024-05-01T12:00:00.007Z");
    assertThat(Instant.parse(Times.format(millis)).toEpochMilli()).isEqualTo(millis);
  }
}
