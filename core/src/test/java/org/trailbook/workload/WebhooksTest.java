package org.trailbook.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class WebhooksTest {
  private static final List<ObjectNode> EVENTS =
      Fixtures.events(5_000, "webhook_delivery", new Webhooks(Fixtures.PARTS)::fill);

  @Test
  void hasOneToFourAttemptsAndCountsRetries() {
    for (ObjectNode e : EVENTS) {
      JsonNode webhook = e.get("webhook");
      int attempts = webhook.get("attempts").size();
      assertThat(attempts).isBetween(1, Webhooks.MAX_ATTEMPTS);
      assertThat(webhook.get("retry_count").asInt()).isEqualTo(attempts - 1);
      assertThat(webhook.get("endpoint").asString()).startsWith("https://");
    }
    assertThat(EVENTS).anyMatch(e -> e.get("webhook").get("attempts").size() > 1);
  }

  @Test
  void onlyADeliveredLastAttemptSucceeds() {
    for (ObjectNode e : EVENTS) {
      JsonNode attempts = e.get("webhook").get("attempts");
      boolean delivered = Fixtures.status(e).equals("success") || Fixtures.status(e).equals("warning");
      for (int i = 0; i < attempts.size(); i++) {
        boolean ok = delivered && i == attempts.size() - 1;
        assertThat(attempts.get(i).get("status_code").asInt() < 300).isEqualTo(ok);
        assertThat(attempts.get(i).has("error")).isEqualTo(!ok);
      }
      if (Fixtures.status(e).equals("failure")) assertThat(attempts.size()).isEqualTo(Webhooks.MAX_ATTEMPTS);
    }
  }

  @Test
  void attemptsAscendAndTheLastIsTheEventTime() {
    for (ObjectNode e : EVENTS) {
      JsonNode attempts = e.get("webhook").get("attempts");
      Instant previous = Instant.MIN;
      for (JsonNode attempt : attempts) {
        Instant at = Instant.parse(attempt.get("at").asString());
        assertThat(at).isAfter(previous);
        previous = at;
      }
      assertThat(attempts.get(attempts.size() - 1).get("at").asString()).isEqualTo(e.get("time").asString());
    }
  }

  @Test
  void eventsFollowTheSchema() {
    for (ObjectNode e : EVENTS) assertThat(EventSchema.problems(e)).as(e.toString()).isEmpty();
  }
}
