package org.trailbook.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.trailbook.InvalidInputException;
import org.trailbook.Problem;
import org.trailbook.TooLargeException;
import org.trailbook.event.EventBatchParser.Format;

class EventBatchParserTest {
  private final EventBatchParser parser = new EventBatchParser();

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private InvalidInputException failure(String body, Format format) {
    return catchThrowableOfType(InvalidInputException.class, () -> parser.parse(bytes(body), format));
  }

  @Test
  void aSingleObjectIsABatchOfOne() {
    List<RawEvent> events = parser.parse(bytes("{\"action\":\"a.b\"}"), Format.JSON);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).index()).isZero();
    assertThat(events.get(0).event().get("action").stringValue()).isEqualTo("a.b");
    assertThat(events.get(0).byteLength()).isEqualTo(16);
  }

  @Test
  void anArrayGivesOneEventPerObjectWithItsIndexAndByteLength() {
    List<RawEvent> events = parser.parse(bytes("[ {\"action\":\"a\"}, {\"action\":\"é\"} ]"), Format.JSON);
    assertThat(events).extracting(RawEvent::index).containsExactly(0, 1);
    assertThat(events).extracting(RawEvent::byteLength).containsExactly(14, 15);
  }

  @Test
  void ndjsonGivesOneEventPerNonBlankLineToleratingCrLf() {
    String body = "{\"action\":\"a\"}\r\n\r\n  \n{\"action\":\"b\"}\n";
    List<RawEvent> events = parser.parse(bytes(body), Format.NDJSON);
    assertThat(events).extracting(e -> e.event().get("action").stringValue()).containsExactly("a", "b");
    assertThat(events).extracting(RawEvent::index).containsExactly(0, 1);
    assertThat(events).extracting(RawEvent::byteLength).containsExactly(14, 14);
  }

  @Test
  void ndjsonWithoutTrailingNewlineIsFine() {
    assertThat(parser.parse(bytes("{}\n{}"), Format.NDJSON)).hasSize(2);
  }

  @Test
  void aLeadingByteOrderMarkIsIgnored() {
    byte[] body = ("\uFEFF{\"action\":\"a\"}").getBytes(UTF_8);
    assertThat(parser.parse(body, Format.JSON)).hasSize(1);
  }

  @Test
  void ndjsonMalformedLineNamesTheLineAndTheEventIndex() {
    InvalidInputException e = failure("{}\n\n{\"a\":}\n", Format.NDJSON);
    assertThat(e.code()).isEqualTo("invalid_json");
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.index()).isEqualTo(1);
      assertThat(p.problem()).contains("line 3, column");
    });
  }

  @Test
  void ndjsonTwoValuesOnOneLineAreRefused() {
    InvalidInputException e = failure("{} {}\n", Format.NDJSON);
    assertThat(e.code()).isEqualTo("invalid_json");
    assertThat(e.problems().get(0).problem()).startsWith("more than one JSON value on the line at line 1");
  }

  @Test
  void malformedJsonGivesLineAndColumnWithoutEchoingContent() {
    InvalidInputException e = failure("{\n  \"action\": secretvalue\n}", Format.JSON);
    assertThat(e.code()).isEqualTo("invalid_json");
    assertThat(e.getMessage()).contains("line 2, column").doesNotContain("secretvalue");
    assertThat(e.problems().get(0).problem()).doesNotContain("secretvalue");
  }

  @Test
  void truncatedJsonIsUnexpectedEnd() {
    InvalidInputException e = failure("[{\"action\":\"a\"}", Format.JSON);
    assertThat(e.code()).isEqualTo("invalid_json");
    assertThat(e.problems().get(0).problem()).startsWith("unexpected end of input at line 1");
  }

  @Test
  void utf16LookingBodiesAreNotGuessedButRefused() {
    byte[] utf16 = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_16BE);
    InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> parser.parse(utf16, Format.JSON));
    assertThat(e.code()).isEqualTo("invalid_json");
    assertThat(e.problems().get(0).problem()).startsWith("unexpected NUL byte at byte offset 0");
  }

  @Test
  void trailingContentAfterTheValueIsRefused() {
    assertThat(failure("{} {}", Format.JSON).problems().get(0).problem())
        .startsWith("unexpected content after the JSON value");
    assertThat(failure("{} x", Format.JSON).code()).isEqualTo("invalid_json");
  }

  @Test
  void duplicateKeysAreRefusedNamingThePath() {
    InvalidInputException e = failure("[{}, {\"metadata\":{\"a\":1,\"a\":2}}]", Format.JSON);
    assertThat(e.code()).isEqualTo("duplicate_key");
    assertThat(e.problems()).containsExactly(new Problem(1, "metadata.a", "appears more than once in its object"));
  }

  @Test
  void emptyBodyAndEmptyBatchAreRefused() {
    assertThat(failure("", Format.JSON).code()).isEqualTo("empty_body");
    assertThat(failure(" \r\n\t", Format.NDJSON).code()).isEqualTo("empty_body");
    assertThat(failure("[]", Format.JSON).code()).isEqualTo("empty_batch");
    assertThat(failure(" [ ] ", Format.JSON).getMessage()).isEqualTo("the batch has no events");
  }

  @Test
  void nonObjectsAreRefused() {
    InvalidInputException top = failure("\"x\"", Format.JSON);
    assertThat(top.code()).isEqualTo("not_an_object");
    assertThat(top.problems()).containsExactly(new Problem(-1, "", "must be a JSON object or an array of JSON objects"));
    InvalidInputException element = failure("[{}, 3]", Format.JSON);
    assertThat(element.problems()).containsExactly(new Problem(1, "", "must be a JSON object"));
    InvalidInputException line = failure("{}\n[]\n", Format.NDJSON);
    assertThat(line.problems()).containsExactly(new Problem(1, "", "must be a JSON object"));
  }

  @Test
  void bodyOverTheLimitIsTooLarge() {
    EventBatchParser small = new EventBatchParser(Limits.DEFAULTS.withMaxBodyBytes(10));
    TooLargeException e =
        catchThrowableOfType(TooLargeException.class, () -> small.parse(bytes("{\"action\":\"a\"}"), Format.JSON));
    assertThat(e.code()).isEqualTo("body_too_large");
    assertThat(e.limit()).isEqualTo(10);
    assertThat(e.getMessage()).isEqualTo("the request body is 14 bytes; the limit is 10");
  }

  @Test
  void defaultBodyLimitIsFiveMebibytes() {
    byte[] body = new byte[5 * 1024 * 1024 + 1];
    assertThatThrownBy(() -> parser.parse(body, Format.JSON))
        .isInstanceOfSatisfying(TooLargeException.class, e -> assertThat(e.code()).isEqualTo("body_too_large"));
  }

  @Test
  void moreEventsThanTheLimitIsTooLarge() {
    EventBatchParser two = new EventBatchParser(Limits.DEFAULTS.withMaxEvents(2));
    assertThat(two.parse(bytes("[{},{}]"), Format.JSON)).hasSize(2);
    for (var call : List.<Runnable>of(
        () -> two.parse(bytes("[{},{},{}]"), Format.JSON), () -> two.parse(bytes("{}\n{}\n{}\n"), Format.NDJSON))) {
      assertThatThrownBy(call::run).isInstanceOfSatisfying(TooLargeException.class, e -> {
        assertThat(e.code()).isEqualTo("too_many_events");
        assertThat(e.limit()).isEqualTo(2);
      });
    }
  }

  @Test
  void defaultEventLimitIsOneThousand() {
    String body = "[" + "{},".repeat(1000) + "{}]";
    assertThatThrownBy(() -> parser.parse(bytes(body), Format.JSON))
        .isInstanceOfSatisfying(TooLargeException.class, e -> assertThat(e.limit()).isEqualTo(1000));
  }

  @Test
  void anEventOverTheSizeLimitIsTooLargeWithItsIndex() {
    EventBatchParser small = new EventBatchParser(Limits.DEFAULTS.withMaxEventBytes(20));
    String body = "[{\"action\":\"a\"}, {\"action\":\"abcdefghij\"}]";
    TooLargeException e = catchThrowableOfType(TooLargeException.class, () -> small.parse(bytes(body), Format.JSON));
    assertThat(e.code()).isEqualTo("event_too_large");
    assertThat(e.problems()).containsExactly(new Problem(1, "", "is larger than 20 bytes"));
  }

  @Test
  void defaultEventSizeLimitIs256KiB() {
    String big = "{\"metadata\":{\"x\":\"" + "a".repeat(256 * 1024) + "\"}}";
    assertThatThrownBy(() -> parser.parse(bytes(big), Format.JSON))
        .isInstanceOfSatisfying(TooLargeException.class, e -> assertThat(e.limit()).isEqualTo(256 * 1024));
  }

  @Test
  void nestingDeeperThanTheLimitNamesThePath() {
    String ok = "{\"metadata\":" + "[".repeat(30) + "]".repeat(30) + "}"; // depth 32
    assertThat(parser.parse(bytes(ok), Format.JSON)).hasSize(1);
    String deep = "[{\"metadata\":{\"a\":" + "[".repeat(31) + "]".repeat(31) + "}}]";
    InvalidInputException e = failure(deep, Format.JSON);
    assertThat(e.code()).isEqualTo("too_deep");
    assertThat(e.problems()).containsExactly(
        new Problem(0, "metadata.a" + "[0]".repeat(30), "nests objects and arrays deeper than 32 levels"));
  }

  @Test
  void hostileNestingIsAClearErrorNotAStackOverflow() {
    InvalidInputException e = failure("[".repeat(100_000), Format.JSON);
    assertThat(e.code()).isIn("too_deep", "invalid_json", "not_an_object");
    InvalidInputException objects = failure("{\"a\":".repeat(100_000), Format.JSON);
    assertThat(objects.code()).isEqualTo("too_deep");
  }

  @Test
  void invalidUtf8GivesTheByteOffset() {
    byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};
    InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> parser.parse(body, Format.JSON));
    assertThat(e.code()).isEqualTo("invalid_utf8");
    assertThat(e.problems()).containsExactly(new Problem(-1, "", "invalid UTF-8 at byte offset 6"));
  }

  @Test
  void validMultiByteUtf8IsKept() {
    String text = "é€😀";
    RawEvent e = parser.parse(bytes("{\"action\":\"" + text + "\"}"), Format.JSON).get(0);
    assertThat(e.event().get("action").stringValue()).isEqualTo(text);
  }

  @Test
  void numbersKeepTheirKindAndHugeOnesSurviveParsingForTheNormalizerToName() {
    RawEvent e = parser.parse(bytes("{\"a\":1,\"b\":9007199254740993,\"c\":1e400,\"d\":123456789012345678901234567890}"), Format.JSON).get(0);
    assertThat(e.event().get("a").isInt()).isTrue();
    assertThat(e.event().get("b").isLong()).isTrue();
    assertThat(e.event().get("c").doubleValue()).isInfinite();
    assertThat(e.event().get("d").isBigInteger()).isTrue();
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    Arbitrary<byte[]> jsonish =
        Arbitraries.strings().withChars("{}[]\":,0123456789.eE-+ \n\r\\tufnalsx\u00e9\uFEFF").ofMaxLength(200).map(s -> s.getBytes(UTF_8));
    return Arbitraries.oneOf(random, jsonish);
  }

  @Property(tries = 3000)
  void arbitraryBytesNeverThrowAnythingButInputErrors(@ForAll("bodies") byte[] body) {
    for (Format format : Format.values()) {
      try {
        List<RawEvent> events = parser.parse(body, format);
        assertThat(events).isNotEmpty();
      } catch (InvalidInputException expected) {
        assertThat(expected.code()).isNotBlank();
      }
    }
  }
}
