package org.trailbook.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.trailbook.Json;

class GeneratedEventTest {
  private static final GeneratedEvent EVENT =
      new WorkloadGenerator(WorkloadSpec.benchmark(3, 10, Fixtures.END)).event(4);

  @Test
  void jsonIsCompactAndReadsBackToTheSameEvent() {
    String json = new String(EVENT.json(), StandardCharsets.UTF_8);
    assertThat(json).startsWith("{\"id\":\"evt-3-4\",\"time\":").doesNotContain("\n").doesNotContain(": ");
    assertThat(Json.MAPPER.readTree(json)).isEqualTo(EVENT.event());
  }

  @Test
  void idIsTheClientIdempotencyId() {
    assertThat(EVENT.id()).isEqualTo("evt-3-4");
    assertThat(EVENT.n()).isEqualTo(4);
  }
}
