package org.trailbook.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class JobsTest {
  private static final Jobs JOBS = new Jobs(Fixtures.PARTS);
  private static final List<ObjectNode> JOB_EVENTS = Fixtures.events(5_000, "background_job", JOBS::backgroundJob);
  private static final List<ObjectNode> SYSTEM_EVENTS = Fixtures.events(5_000, "system_event", JOBS::systemEvent);

  @Test
  void failedJobsCarryAnErrorWithAStackTrace() {
    for (ObjectNode e : JOB_EVENTS) {
      boolean failed = Fixtures.status(e).equals("failure");
      assertThat(e.get("job").has("error")).isEqualTo(failed);
      if (failed) {
        assertThat(e.get("action").asString()).isEqualTo("job.failed");
        assertThat(e.get("job").get("error").get("stack").asString()).contains("\n\tat ");
      }
    }
  }

  @Test
  void finishedJobsReportDurationAndCountRunningOnesDoNot() {
    for (ObjectNode e : JOB_EVENTS) {
      boolean running = Fixtures.status(e).equals("in_progress");
      assertThat(e.get("job").has("duration_ms")).isEqualTo(!running);
      assertThat(e.get("job").has("processed")).isEqualTo(!running);
      assertThat(e.get("job").get("name").asString()).isNotEmpty();
      assertThat(e.get("job").get("trigger").asString()).isNotEmpty();
    }
  }

  @Test
  void jobEventsNameTheirOwnCategory() {
    for (ObjectNode e : JOB_EVENTS) assertThat(e.get("category").asString()).isNotEqualTo("job");
  }

  @Test
  void failedSystemEventsCarryAnError() {
    for (ObjectNode e : SYSTEM_EVENTS) {
      if (Fixtures.status(e).equals("failure")) assertThat(e.has("error") || e.get("job").has("error")).isTrue();
    }
  }

  @Test
  void eventsFollowTheSchema() {
    for (ObjectNode e : JOB_EVENTS) assertThat(EventSchema.problems(e)).as(e.toString()).isEmpty();
    for (ObjectNode e : SYSTEM_EVENTS) assertThat(EventSchema.problems(e)).as(e.toString()).isEmpty();
  }
}
