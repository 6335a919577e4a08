package org.trailbook.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class UserActionsTest {
  private static final List<ObjectNode> EVENTS =
      Fixtures.events(10_000, "user_action", new UserActions(Fixtures.PARTS)::fill);

  @Test
  void aboutHalfCarryBeforeAndAfter() {
    long withChanges = EVENTS.stream().filter(e -> e.has("changes")).count();
    assertThat(withChanges / (double) EVENTS.size()).isBetween(0.45, 0.58);
    for (ObjectNode e : EVENTS) {
      if (e.has("changes")) assertThat(e.get("changes").propertyNames()).containsExactly("before", "after");
    }
  }

  @Test
  void roleChangesReallyChangeTheRole() {
    List<ObjectNode> roleChanges = EVENTS.stream().filter(e -> e.get("action").asString().equals("user.role_changed")).toList();
    assertThat(roleChanges).isNotEmpty();
    for (ObjectNode e : roleChanges) {
      assertThat(e.get("category").asString()).isEqualTo("security");
      assertThat(e.get("changes").get("before").get("role")).isNotEqualTo(e.get("changes").get("after").get("role"));
    }
  }

  @Test
  void aSmallShareIsPlatformStaff() {
    List<ObjectNode> platform = EVENTS.stream().filter(e -> e.path("layer").asString("").equals("platform")).toList();
    assertThat(platform.size() / (double) EVENTS.size()).isBetween(0.01, 0.03);
    for (ObjectNode e : platform) assertThat(e.get("actor").get("id").asString()).startsWith("staff_");
  }

  @Test
  void actorsAreUsersWithSessions() {
    for (ObjectNode e : EVENTS) {
      assertThat(e.get("actor").get("type").asString()).isEqualTo("user");
      assertThat(e.get("context").get("session_id").asString()).startsWith("sess_");
    }
  }

  @Test
  void eventsFollowTheSchema() {
    for (ObjectNode e : EVENTS) assertThat(EventSchema.problems(e)).as(e.toString()).isEmpty();
  }
}
