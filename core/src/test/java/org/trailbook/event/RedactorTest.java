package org.trailbook.event;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.trailbook.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

class RedactorTest {
  private final Redactor redactor = new Redactor(RedactionRules.DEFAULTS);

  private static ObjectNode json(String s) {
    return (ObjectNode) Json.MAPPER.readTree(s);
  }

  @Test
  void replacesSecretKeysAnywhereInATreeButKeepsNulls() {
    ObjectNode tree = json("{\"user\":{\"password\":\"hunter2\",\"name\":\"A\"},\"list\":[{\"api_key\":{\"x\":1}}],\"token\":null}");
    assertThat(redactor.redactTree(tree)).isTrue();
    assertThat(tree).isEqualTo(json("{\"user\":{\"password\":\"[REDACTED]\",\"name\":\"A\"},\"list\":[{\"api_key\":\"[REDACTED]\"}],\"token\":null}"));
    assertThat(redactor.redactTree(json("{\"a\":1}"))).isFalse();
  }

  @Test
  void replacesSecretHeadersWholeIncludingArrays() {
    ObjectNode headers = json("{\"authorization\":\"Bearer abc\",\"Cookie\":[\"a=1\",\"b=2\"],\"X-Auth-Token\":\"t\",\"Accept\":\"*/*\"}");
    redactor.redactHeaders(headers);
    assertThat(headers).isEqualTo(json("{\"authorization\":\"[REDACTED]\",\"Cookie\":\"[REDACTED]\",\"X-Auth-Token\":\"[REDACTED]\",\"Accept\":\"*/*\"}"));
  }

  @Test
  void redactsSecretQueryAndFragmentParametersAndUserInfoPasswords() {
    assertThat(redactor.redactUrl("https://x.io/cb?token=abc&page=2")).isEqualTo("https://x.io/cb?token=[REDACTED]&page=2");
    assertThat(redactor.redactUrl("/v1/users?API_KEY=abc")).isEqualTo("/v1/users?API_KEY=[REDACTED]");
    assertThat(redactor.redactUrl("https://x.io/?a=1&access%5Ftoken=abc#f")).isEqualTo("https://x.io/?a=1&access%5Ftoken=[REDACTED]#f");
    assertThat(redactor.redactUrl("https://x.io/cb#access_token=abc&state=s")).isEqualTo("https://x.io/cb#access_token=[REDACTED]&state=s");
    assertThat(redactor.redactUrl("https://bob:pa55@x.io/path?q=1")).isEqualTo("https://bob:[REDACTED]@x.io/path?q=1");
    assertThat(redactor.redactUrl("https://x.io/a?b=c&&d")).isEqualTo("https://x.io/a?b=c&&d");
    assertThat(redactor.redactUrl("not a url")).isEqualTo("not a url");
  }

  @Test
  void aStringBodyHoldingJsonIsParsedRedactedAndReserialized() {
    JsonNode body = redactor.redactBody(StringNode.valueOf("{\"user\":\"a\", \"password\":\"hunter2\"}"));
    assertThat(body.stringValue()).isEqualTo("{\"user\":\"a\",\"password\":\"[REDACTED]\"}");
    JsonNode array = redactor.redactBody(StringNode.valueOf(" [{\"secret\":1}]"));
    assertThat(array.stringValue()).isEqualTo("[{\"secret\":\"[REDACTED]\"}]");
  }

  @Test
  void aStringBodyWithoutSecretsIsLeftAsSent() {
    String sent = "{ \"user\" : \"a\" }";
    assertThat(redactor.redactBody(StringNode.valueOf(sent)).stringValue()).isEqualTo(sent);
    assertThat(redactor.redactBody(StringNode.valueOf("plain text")).stringValue()).isEqualTo("plain text");
  }

  @Test
  void anUnparseableJsonLookingBodyMentioningASecretIsReplacedWhole() {
    assertThat(redactor.redactBody(StringNode.valueOf("{\"password\":\"hunt")).stringValue()).isEqualTo("[REDACTED]");
    assertThat(redactor.redactBody(StringNode.valueOf("{\"name\":\"trunc")).stringValue()).isEqualTo("{\"name\":\"trunc");
  }

  @Test
  void aFormBodyHasItsSecretParametersRemoved() {
    assertThat(redactor.redactBody(StringNode.valueOf("user=a&password=hunter2")).stringValue())
        .isEqualTo("user=a&password=[REDACTED]");
  }

  @Test
  void objectBodiesAreRedactedInPlace() {
    ObjectNode body = json("{\"client_secret\":\"s\"}");
    assertThat(redactor.redactBody(body)).isSameAs(body);
    assertThat(body.get("client_secret").stringValue()).isEqualTo("[REDACTED]");
  }

  @Test
  void redactsEveryPlaceOfAnEvent() {
    ObjectNode event = json("""
        {"resource":{"url":"https://a.io/?token=s1"},
         "context":{"location":{"secret":"s2"}},
         "changes":{"before":{"password":"s3"},"after":{"password":"s4"},"fields":["password"]},
         "http":{"url":"https://a.io/?apikey=s5",
                 "request":{"headers":{"Authorization":"s6"},"body":"{\\"token\\":\\"s7\\"}"},
                 "response":{"headers":{"set-cookie":["s8"]},"body":{"access_token":"s9"}}},
         "webhook":{"endpoint":"https://h.io/?signature=s10"},
         "metadata":{"deep":[{"credentials":{"k":"s11"}}]}}""");
    redactor.redactEvent(event);
    String out = event.toString();
    for (int i = 1; i <= 11; i++) assertThat(out).doesNotContain("\"s" + i + "\"").doesNotContain("=s" + i);
    assertThat(event.at("/changes/fields/0").stringValue()).isEqualTo("password");
  }

  @Provide
  Arbitrary<String> secretKeys() {
    return Arbitraries.of("password", "Password", "new_password", "api-key", "X-Api-Key", "clientSecret", "access_token",
        "privateKey", "db_credentials", "Authorization", "passwd");
  }

  @Property(tries = 300)
  void aSecretUnderASecretKeyNeverSurvivesAnyNesting(
      @ForAll("secretKeys") String key, @ForAll("paths") java.util.List<String> path) {
    String secret = "S3CR3T-" + Integer.toHexString(path.hashCode());
    ObjectNode root = Json.MAPPER.createObjectNode();
    JsonNode at = root;
    for (String step : path) {
      at = step.equals("[]") ? ((tools.jackson.databind.node.ContainerNode<?>) at).isArray()
          ? ((tools.jackson.databind.node.ArrayNode) at).addObject() : ((ObjectNode) at).putArray("list")
          : at.isArray() ? ((tools.jackson.databind.node.ArrayNode) at).addObject().putObject(step) : ((ObjectNode) at).putObject(step);
    }
    if (at.isArray()) at = ((tools.jackson.databind.node.ArrayNode) at).addObject();
    ((ObjectNode) at).put(key, secret);
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.set("metadata", root);
    event.putObject("http").putObject("request").put("body", root.toString());
    redactor.redactEvent(event);
    assertThat(event.toString()).doesNotContain(secret);
  }

  @Provide
  Arbitrary<java.util.List<String>> paths() {
    return Arbitraries.of("a", "b", "[]", "user", "data").list().ofMaxSize(10);
  }
}
