package org.trailbook.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.trailbook.Json;
import tools.jackson.databind.node.ObjectNode;

class SummaryGeneratorTest {
  private static String summary(String event) {
    return SummaryGenerator.summarize((ObjectNode) Json.MAPPER.readTree(event));
  }

  @Test
  void actorPastTenseVerbAndQuotedResource() {
    assertThat(summary("""
        {"action":"campaign.updated","actor":{"type":"user","name":"Riley Park","email":"r@x.io"},
         "resource":{"type":"campaign","id":"c1","name":"Summer Sale"}}"""))
        .isEqualTo("Riley Park updated campaign \"Summer Sale\"");
  }

  @Test
  void systemRunsAJob() {
    assertThat(summary("""
        {"action":"job.run","actor":{"type":"system","name":"System"},"job":{"name":"nightly_digest"}}"""))
        .isEqualTo("System ran job \"nightly_digest\"");
  }

  @Test
  void signInUsesTheEmailWhenThereIsNoName() {
    assertThat(summary("{\"action\":\"auth.login\",\"actor\":{\"type\":\"user\",\"email\":\"ana@acme.com\"}}"))
        .isEqualTo("ana@acme.com signed in");
  }

  @Test
  void webhookDeliveries() {
    assertThat(summary("""
        {"action":"webhook.delivered","status":"success","webhook":{"event":"invoice.paid","endpoint":"https://h.io/hook"}}"""))
        .isEqualTo("Webhook invoice.paid delivered to https://h.io/hook");
    assertThat(summary("""
        {"action":"webhook.failed","status":"failure","webhook":{"endpoint":"https://h.io/hook"}}"""))
        .isEqualTo("Webhook webhook.failed could not be delivered to https://h.io/hook");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "auth.login_failed | Ana had a failed login on user \"Bo\"",
    "user.role_changed | Ana changed the role of user \"Bo\"",
    "user.deleted | Ana deleted user \"Bo\"",
    "user.delete | Ana deleted user \"Bo\"",
    "user.invite | Ana invited user \"Bo\"",
    "report.send | Ana sent user \"Bo\"",
    "invoice.pay | Ana paid user \"Bo\"",
    "user.reset_password | Ana reset the password of user \"Bo\"",
    "auth.logout | Ana signed out of user \"Bo\"",
    "auth.sign_in | Ana signed in to user \"Bo\"",
    "user.frobnicate | Ana performed frobnicate on user \"Bo\"",
    "policy.copy | Ana copied user \"Bo\"",
  })
  void verbPhrasesFromTheLastActionSegment(String action, String expected) {
    assertThat(summary("{\"action\":\"" + action + "\",\"actor\":{\"name\":\"Ana\"},\"resource\":{\"type\":\"user\",\"name\":\"Bo\"}}"))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "campaign.launched | Ana launched a campaign",
    "api_key.created | Ana created an api key",
    "launched | Ana launched",
    "auth.password_changed | Ana changed the password",
    "auth.signed_in | Ana signed in",
  })
  void withoutAResourceThePreviousSegmentNamesTheObject(String action, String expected) {
    assertThat(summary("{\"action\":\"" + action + "\",\"actor\":{\"name\":\"Ana\"}}")).isEqualTo(expected);
  }

  @Test
  void actorFallsBackToEmailThenIdThenSomeoneOrSystem() {
    assertThat(summary("{\"action\":\"a.created\",\"actor\":{\"id\":\"u_1\"}}")).isEqualTo("u_1 created an a");
    assertThat(summary("{\"action\":\"a.created\",\"actor\":{\"type\":\"user\"}}")).startsWith("Someone ");
    assertThat(summary("{\"action\":\"a.created\",\"actor\":{\"type\":\"system\"}}")).startsWith("System ");
    assertThat(summary("{\"action\":\"a.created\"}")).startsWith("System ");
  }

  @Test
  void resourceFallsBackToIdThenType() {
    assertThat(summary("{\"action\":\"x.viewed\",\"actor\":{\"name\":\"A\"},\"resource\":{\"type\":\"api_key\",\"id\":\"k1\"}}"))
        .isEqualTo("A viewed api key \"k1\"");
    assertThat(summary("{\"action\":\"x.viewed\",\"actor\":{\"name\":\"A\"},\"resource\":{\"type\":\"dashboard\"}}"))
        .isEqualTo("A viewed dashboard");
    assertThat(summary("{\"action\":\"x.viewed\",\"actor\":{\"name\":\"A\"},\"resource\":{\"name\":\"Q3\"}}"))
        .isEqualTo("A viewed \"Q3\"");
  }

  @Test
  void failuresSaySo() {
    assertThat(summary("{\"action\":\"user.deleted\",\"status\":\"failure\",\"actor\":{\"name\":\"A\"}}"))
        .isEqualTo("A deleted a user (failed)");
  }

  @Test
  void isOneLineOfAtMostOneThousandCharacters() {
    String s = summary("{\"action\":\"a.viewed\",\"actor\":{\"name\":\"A\\nB\"},\"resource\":{\"name\":\"" + "x".repeat(2000) + "\"}}");
    assertThat(s).hasSize(1000).startsWith("A B viewed").endsWith("…").doesNotContain("\n");
    String pairs = SummaryGenerator.clip("😀".repeat(600));
    assertThat(Character.isHighSurrogate(pairs.charAt(pairs.length() - 2))).isFalse();
  }
}
