package org.trailbook.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ApiCallsTest {
  private static final List<ObjectNode> EVENTS =
      Fixtures.events(5_000, "api_call", new ApiCalls(Fixtures.PARTS)::fill);

  @Test
  void statusCodeMatchesTheStatus() {
    for (ObjectNode e : EVENTS) {
      int code = e.get("http").get("status_code").asInt();
      switch (Fixtures.status(e)) {
        case "failure" -> assertThat(code).isBetween(400, 599);
        case "pending" -> assertThat(code).isEqualTo(202);
        default -> assertThat(code).isBetween(200, 299);
      }
    }
  }

  @Test
  void failuresIncludeClientAndServerErrors() {
    List<Integer> codes = EVENTS.stream().map(e -> e.get("http").get("status_code").asInt()).toList();
    assertThat(codes).anyMatch(c -> c >= 400 && c < 500).anyMatch(c -> c >= 500);
  }

  @Test
  void someRequestsCarryABearerToken() {
    long bearer = EVENTS.stream()
        .filter(e -> e.get("http").get("request").get("headers").path("authorization").asString("").startsWith("Bearer "))
        .count();
    assertThat(bearer / (double) EVENTS.size()).isBetween(0.2, 0.4);
  }

  @Test
  void writesCarryAJsonBodyAndActionNamesTheVerb() {
    for (ObjectNode e : EVENTS) {
      String method = e.get("http").get("method").asString();
      String action = e.get("action").asString();
      boolean write = method.equals("POST") || method.equals("PATCH");
      assertThat(e.get("http").get("request").has("body")).isEqualTo(write);
      if (method.equals("POST")) assertThat(action).endsWith(".created");
      if (method.equals("DELETE")) assertThat(action).endsWith(".deleted");
    }
  }

  @Test
  void listCallsHaveNoSingleResource() {
    for (ObjectNode e : EVENTS) assertThat(e.has("resource")).isEqualTo(!e.get("action").asString().endsWith(".listed"));
  }

  @Test
  void eventsFollowTheSchema() {
    for (ObjectNode e : EVENTS) assertThat(EventSchema.problems(e)).as(e.toString()).isEmpty();
  }
}
