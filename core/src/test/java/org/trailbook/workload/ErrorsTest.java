package org.trailbook.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ErrorsTest {
  private static final List<ObjectNode> EVENTS = Fixtures.events(2_000, "error", new Errors(Fixtures.PARTS)::fill);

  @Test
  void everyErrorHasMessageTypeAndStack() {
    for (ObjectNode e : EVENTS) {
      assertThat(e.get("error").propertyNames()).containsExactly("message", "type", "stack");
      assertThat(e.get("error").get("stack").asString()).startsWith(e.get("error").get("type").asString() + ": ");
    }
  }

  @Test
  void errorsAreFailuresOrWarnings() {
    assertThat(EVENTS).allMatch(e -> Set.of("failure", "warning").contains(Fixtures.status(e)));
    assertThat(EVENTS).anyMatch(e -> Fixtures.status(e).equals("warning"));
  }

  @Test
  void eventsFollowTheSchema() {
    for (ObjectNode e : EVENTS) assertThat(EventSchema.problems(e)).as(e.toString()).isEmpty();
  }
}
