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
  void aJsonStringBodyIsRecognisedAfterAByteOrderMarkOrWhitespace() {
    for (String prefix : new String[] {"\uFEFF", " \r\n\t", "\uFEFF\n  "}) {
      String body = redactor.redactBody(StringNode.valueOf(prefix + "{\"user\":\"a\",\"Password\":\"hunter2\"}")).stringValue();
      assertThat(body).isEqualTo("{\"user\":\"a\",\"Password\":\"[REDACTED]\"}");
    }
  }

  @Test
  void formAndQueryStringBodiesWithEitherSeparatorAndEncodedNames() {
    assertThat(body("password=hunter2&user=x")).isEqualTo("password=[REDACTED]&user=x");
    assertThat(body("user=x;PASSWORD=hunter2;b=2\r\n")).isEqualTo("user=x;PASSWORD=[REDACTED];b=2\r\n");
    assertThat(body("?a=1&api%5Fkey=k1&pass%77ord=k2&api%255fkey=k3&api+key=k4&b=\"x")).isEqualTo(
        "?a=1&api%5Fkey=[REDACTED]&pass%77ord=[REDACTED]&api%255fkey=[REDACTED]&api+key=[REDACTED]&b=\"x");
    assertThat(body("password=a\"b{c&x=1")).isEqualTo("password=[REDACTED]&x=1"); // a form value ends only at & or ;
    assertThat(redactor.redactUrl("https://x.io/p?a=1;token=abc;b=2#access_token=t&x=1"))
        .isEqualTo("https://x.io/p?a=1;token=[REDACTED];b=2#access_token=[REDACTED]&x=1");
  }

  @Test
  void secretsWrittenInsideTextAreFound() {
    assertThat(redactor.redactText("login failed (password=hunter2) for bob")).isEqualTo("login failed (password=[REDACTED] for bob");
    assertThat(redactor.redactText("payload {\"user\":\"a\", \"api_key\" : \"k\", \"n\":{\"token\":{\"a\":[1]}}, \"secret\":null}"))
        .isEqualTo("payload {\"user\":\"a\", \"api_key\" : \"[REDACTED]\", \"n\":{\"token\":\"[REDACTED]\"}, \"secret\":null}");
    assertThat(redactor.redactText("{\\\"token\\\":\\\"abc\\\"}")).isEqualTo("{\\\"token\\\":\\\"[REDACTED]\\\"}");
    assertThat(redactor.redactText("GET / HTTP/1.1\nAuthorization: Bearer abc\r\n  Cookie: a=b; c=d\nAccept: */*"))
        .isEqualTo("GET / HTTP/1.1\nAuthorization: [REDACTED]\r\n  Cookie: [REDACTED]\nAccept: */*");
    assertThat(redactor.redactText("see https://u:pw@db.io/x and https://h.io/?a=1;token=t#f"))
        .isEqualTo("see https://u:[REDACTED]@db.io/x and https://h.io/?a=1;token=[REDACTED]#f");
    // ordinary text stays exactly as it was, the same instance
    String plain = "TokenExpiredException: the token expired at 10:00 (Token.java:42); a=b, x == y\nSignatureError: bad";
    assertThat(redactor.redactText(plain)).isSameAs(plain);
  }

  @Test
  void headerValuesFreeTextFieldsAndStringsInFreeFormPlacesAreScrubbed() {
    ObjectNode event = json("""
        {"http":{"request":{"headers":{"Referer":"https://app.io/cb?code=1&access_token=h1","Accept":["a","b?secret=h2"]}}},
         "error":{"message":"db said password=h3","stack":"Authorization: Basic h4"},
         "job":{"error":{"message":"{\\"token\\":\\"h5\\"}"}},
         "webhook":{"attempts":[{"error":"POST https://h.io/in?signature=h6 failed"}]},
         "context":{"location":"https://geo.io/?api_key=h7","user_agent":"bot token=h8"},
         "metadata":{"note":["x","callback ?token=h9"],"doc":"{\\"password\\":\\"h10\\"}"}}""");
    redactor.redactEvent(event);
    String out = event.toString();
    for (int i = 1; i <= 10; i++) assertThat(out).doesNotContain("h" + i + "\"").doesNotContain("h" + i + " ").doesNotContain("h" + i + "\\");
    assertThat(out).contains("code=1&access_token=[REDACTED]");
  }

  private String body(String text) {
    return redactor.redactBody(StringNode.valueOf(text)).stringValue();
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
