package org.trailbook.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimelineTest {
  private static final Instant END = Instant.parse("2026-11-20T00:00:00Z");

  @Test
  void formatsAlwaysWithMilliseconds() {
    assertThat(Timeline.format(Instant.parse("2026-11-20T13:45:10.123Z").toEpochMilli()))
        .isEqualTo("2026-11-20T13:45:10.123Z");
    assertThat(Timeline.format(Instant.parse("2026-01-02T03:04:05Z").toEpochMilli()))
        .isEqualTo("2026-01-02T03:04:05.000Z");
  }

  @Test
  void timesAscendWithinTheWindow() {
    int events = 50_000;
    Timeline timeline = new Timeline(END, Duration.ofDays(90), events);
    Rng rng = new Rng(1);
    long previous = Long.MIN_VALUE;
    for (int n = 0; n < events; n++) {
      long t = timeline.millisOf(n, rng.nextDouble());
      assertThat(t).isGreaterThanOrEqualTo(previous).isGreaterThanOrEqualTo(timeline.startMillis())
          .isLessThan(END.toEpochMilli());
      previous = t;
    }
  }

  @Test
  void eventsCoverTheWholeWindow() {
    Timeline timeline = new Timeline(END, Duration.ofDays(90), 1000);
    assertThat(timeline.millisOf(0, 0.0) - timeline.startMillis()).isLessThan(Duration.ofDays(1).toMillis());
    assertThat(END.toEpochMilli() - timeline.millisOf(999, 0.999)).isLessThan(Duration.ofDays(1).toMillis());
  }

  @Test
  void weekdayAfternoonsAreBusierThanNightsAndWeekends() {
    int events = 90_000;
    Timeline timeline = new Timeline(END, Duration.ofDays(90), events);
    Rng rng = new Rng(2);
    int afternoon = 0;
    int night = 0;
    int weekend = 0;
    for (int n = 0; n < events; n++) {
      LocalDateTime t = LocalDateTime.ofEpochSecond(timeline.millisOf(n, rng.nextDouble()) / 1000, 0, ZoneOffset.UTC);
      boolean isWeekend = t.getDayOfWeek() == DayOfWeek.SATURDAY || t.getDayOfWeek() == DayOfWeek.SUNDAY;
      if (isWeekend) weekend++;
      else if (t.getHour() == 14) afternoon++;
      else if (t.getHour() == 3) night++;
    }
    assertThat(afternoon).isGreaterThan(3 * night);
    assertThat(weekend / (double) events).isBetween(0.08, 0.2); // 2 of 7 days at 35 % activity: about 12 %
  }
}
