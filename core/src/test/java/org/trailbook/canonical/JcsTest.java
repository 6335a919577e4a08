package org.trailbook.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.trailbook.Json;

class JcsTest {

  private static String canonical(String json) {
    return new String(Jcs.canonicalize(Json.MAPPER.readTree(json)), StandardCharsets.UTF_8);
  }

  /** RFC 8785 §3.2.2, the example of the whole serialization. */
  @Test
  void serializesTheRfcExampleExactly() {
    String input =
        """
        {
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
          "literals": [null, true, false]
        }
        """;
    assertThat(canonical(input))
        .isEqualTo(
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
  }

  /** RFC 8785 §3.2.3, the example of sorting by UTF-16 code units. */
  @Test
  void sortsMembersByUtf16CodeUnitsAsTheRfcExample() {
    String input =
        """
        {
          "\\u20ac": "Euro Sign",
          "\\r": "Carriage Return",
          "\\ufb33": "Hebrew Letter Dalet With Dagesh",
          "1": "One",
          "\\ud83d\\ude00": "Emoji: Grinning Face",
          "\\u0080": "Control",
          "\\u00f6": "Latin Small Letter O With Diaeresis"
        }
        """;
    assertThat(canonical(input))
        .isEqualTo(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\","
                + "\"\uD83D\uDE00\":\"Emoji: Grinning Face\",\"\uFB33\":\"Hebrew Letter Dalet With Dagesh\"}");
  }

  /** RFC 8785 Appendix B: IEEE-754 values and their canonical text. */
  @ParameterizedTest
  @CsvSource({
    "0000000000000000, 0",
    "8000000000000000, 0",
    "0000000000000001, 5e-324",
    "8000000000000001, -5e-324",
    "7fefffffffffffff, 1.7976931348623157e+308",
    "ffefffffffffffff, -1.7976931348623157e+308",
    "4340000000000000, 9007199254740992",
    "c340000000000000, -9007199254740992",
    "4430000000000000, 295147905179352830000",
    "44b52d02c7e14af5, 9.999999999999997e+22",
    "44b52d02c7e14af6, 1e+23",
    "44b52d02c7e14af7, 1.0000000000000001e+23",
    "444b1ae4d6e2ef4e, 999999999999999700000",
    "444b1ae4d6e2ef4f, 999999999999999900000",
    "444b1ae4d6e2ef50, 1e+21",
    "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
    "3eb0c6f7a0b5ed8d, 0.000001",
    "41b3de4355555553, 333333333.3333332",
    "41b3de4355555554, 333333333.33333325",
    "41b3de4355555555, 333333333.3333333",
    "41b3de4355555556, 333333333.3333334",
    "41b3de4355555557, 333333333.33333343",
    "becbf647612f3696, -0.0000033333333333333333",
    "43143ff3c1cb0959, 1424953923781206.2"
  })
  void formatsNumbersAsTheRfcAppendixB(String ieeeHex, String expected) {
    double d = Double.longBitsToDouble(Long.parseUnsignedLong(ieeeHex, 16));
    assertThat(Jcs.numberToString(d)).isEqualTo(expected);
  }

  @Test
  void refusesNonFiniteNumbers() {
    assertThatThrownBy(() -> Jcs.numberToString(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Jcs.numberToString(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesIntegersWithoutFractionOrExponent() {
    assertThat(canonical("[1, -7, 100, 1.0, 1e2, 9007199254740993]"))
        .isEqualTo("[1,-7,100,1,100,9007199254740992]");
  }

  @Test
  void escapesOnlyWhatTheRfcRequires() {
    assertThat(canonical("\"\\u2028 \\u007f \\u001f \\t \\/ <\\u00e9>\""))
        .isEqualTo("\"\u2028 \u007f \\u001f \\t / <é>\"");
  }

  @Test
  void sortsNestedObjectsAndKeepsArrayOrder() {
    assertThat(canonical("{\"b\":{\"z\":1,\"a\":[3,1,{\"y\":0,\"x\":0}]},\"a\":null}"))
        .isEqualTo("{\"a\":null,\"b\":{\"a\":[3,1,{\"x\":0,\"y\":0}],\"z\":1}}");
  }

  /** Whatever double goes in, reading the canonical text back gives the same double. */
  @Property
  void numberTextRoundTrips(@ForAll double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) return;
    double back = Double.parseDouble(Jcs.numberToString(d));
    assertThat(back == d || (back == 0 && d == 0)).as("%s -> %s", d, back).isTrue();
  }
}
