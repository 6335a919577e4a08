package org.trailbook.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class AuthEventsTest {
  private static final List<ObjectNode> EVENTS = Fixtures.events(5_000, "auth", new AuthEvents(Fixtures.PARTS)::fill);

  @Test
  void failedSignInsAreFailuresWithAReason() {
    for (ObjectNode e : EVENTS) {
      String action = e.get("action").asString();
      boolean failed = action.equals("auth.login_failed") || action.equals("auth.mfa_failed");
      assertThat(Fixtures.status(e).equals("failure")).isEqualTo(failed);
      if (failed) assertThat(e.get("metadata").get("reason").asString()).isNotEmpty();
    }
  }

  @Test
  void coversSignInsSignOutsAndMfa() {
    Set<String> actions = EVENTS.stream().map(e -> e.get("action").asString()).collect(Collectors.toSet());
    assertThat(actions).contains("auth.login", "auth.login_failed", "auth.logout", "auth.mfa_challenge");
    assertThat(actions).allMatch(a -> a.startsWith("auth."));
  }

  @Test
  void signInsComeFromUsersWithAFullContext() {
    for (ObjectNode e : EVENTS) {
      assertThat(e.get("actor").get("type").asString()).isEqualTo("user");
      assertThat(e.get("context").propertyNames())
          .containsExactly("ip", "user_agent", "request_id", "session_id", "location");
    }
  }

  @Test
  void eventsFollowTheSchema() {
    for (ObjectNode e : EVENTS) assertThat(EventSchema.problems(e)).as(e.toString()).isEmpty();
  }
}
