package org.trailbook.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RedactionRulesTest {
  private final RedactionRules rules = RedactionRules.DEFAULTS;

  @Test
  void keysMatchByNormalizedSubstring() {
    assertThat(rules.isSecretKey("password")).isTrue();
    assertThat(rules.isSecretKey("New-Password")).isTrue();
    assertThat(rules.isSecretKey("API_KEY")).isTrue();
    assertThat(rules.isSecretKey("x-api-key")).isTrue();
    assertThat(rules.isSecretKey("client_secret")).isTrue();
    assertThat(rules.isSecretKey("refreshToken")).isTrue();
    assertThat(rules.isSecretKey("private_key")).isTrue();
    assertThat(rules.isSecretKey("aws_access_key_id")).isTrue();
    assertThat(rules.isSecretKey("Credentials")).isTrue();
    assertThat(rules.isSecretKey("pwd")).isTrue();
  }

  @Test
  void ordinaryKeysDoNotMatch() {
    assertThat(rules.isSecretKey("name")).isFalse();
    assertThat(rules.isSecretKey("author")).isFalse();
    assertThat(rules.isSecretKey("session_id")).isFalse();
    assertThat(rules.isSecretKey("key")).isFalse();
  }

  @Test
  void headersMatchByNameIgnoringCaseOrByKeyWord() {
    assertThat(rules.isSecretHeader("AUTHORIZATION")).isTrue();
    assertThat(rules.isSecretHeader("proxy-authorization")).isTrue();
    assertThat(rules.isSecretHeader("Set-Cookie")).isTrue();
    assertThat(rules.isSecretHeader("X-Api-Key")).isTrue();
    assertThat(rules.isSecretHeader("X-Auth-Token")).isTrue();
    assertThat(rules.isSecretHeader("Content-Type")).isFalse();
  }

  @Test
  void configAddsToTheDefaultsAndMinusRemovesOne() {
    RedactionRules configured = RedactionRules.fromConfig(" X-Tenant-Secret-Ish , X-Session ", "ssn, -token,  ");
    assertThat(configured.isSecretHeader("x-session")).isTrue();
    assertThat(configured.isSecretHeader("Authorization")).isTrue();
    assertThat(configured.isSecretKey("user_ssn")).isTrue();
    assertThat(configured.isSecretKey("password")).isTrue();
    assertThat(configured.isSecretKey("tokens_used")).isFalse();
  }

  @Test
  void blankOrMissingConfigKeepsTheDefaults() {
    assertThat(RedactionRules.fromConfig(null, "")).isEqualTo(RedactionRules.DEFAULTS);
    assertThat(RedactionRules.fromConfig(" ", null)).isEqualTo(RedactionRules.DEFAULTS);
  }

  @Test
  void wordsAreNormalizedWhenGiven() {
    RedactionRules custom = new RedactionRules(Set.of(" X-Custom "), Set.of("Session_ID"));
    assertThat(custom.headers()).containsExactly("x-custom");
    assertThat(custom.keyWords()).containsExactly("sessionid");
    assertThat(custom.isSecretKey("session-id")).isTrue();
  }
}
