package org.trailbook.canonical;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * RFC 8785 JSON Canonicalization Scheme: object members sorted by their names' UTF-16 code units,
 * no whitespace, strings with the minimal escapes of §3.2.2.2, numbers as ECMAScript's
 * {@code Number.prototype.toString} prints the IEEE-754 double (§3.2.2.3).
 *
 * <p>Callers make sure every number is finite and that integers lie within ±2^53 (the event
 * validator rejects anything else), so no value changes on the way through.
 */
public final class Jcs {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private Jcs() {}

  /** The canonical bytes of a JSON value. */
  public static byte[] canonicalize(JsonNode node) {
    ByteSink out = new ByteSink(512);
    write(node, out);
    return out.toByteArray();
  }

  /** Appends the canonical bytes of {@code node} to {@code out}. */
  public static void write(JsonNode node, ByteSink out) {
    switch (node.getNodeType()) {
      case OBJECT -> writeObject(node, out);
      case ARRAY -> {
        out.write('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) out.write(',');
          write(node.get(i), out);
        }
        out.write(']');
      }
      case STRING -> writeString(node.stringValue(), out);
      case NUMBER -> writeAscii(number(node), out);
      case BOOLEAN -> writeAscii(node.booleanValue() ? "true" : "false", out);
      case NULL -> writeAscii("null", out);
      default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
    }
  }

  private static void writeObject(JsonNode node, ByteSink out) {
    int n = node.size();
    String[] names = new String[n];
    JsonNode[] values = new JsonNode[n];
    int k = 0;
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      // insertion sort: objects are small, and this allocates nothing more
      String name = e.getKey();
      int at = k++;
      while (at > 0 && names[at - 1].compareTo(name) > 0) {
        names[at] = names[at - 1];
        values[at] = values[at - 1];
        at--;
      }
      names[at] = name;
      values[at] = e.getValue();
    }
    out.write('{');
    for (int i = 0; i < n; i++) {
      if (i > 0) out.write(',');
      writeMember(names[i], values[i], out);
    }
    out.write('}');
  }

  /** {@code "name":value}, as one member of a canonical object. */
  public static void writeMember(String name, JsonNode value, ByteSink out) {
    writeString(name, out);
    out.write(':');
    write(value, out);
  }

  /**
   * The members of an object in canonical order. {@link String#compareTo} compares UTF-16 code
   * units, which is exactly the order RFC 8785 §3.2.3 prescribes.
   */
  public static List<Map.Entry<String, JsonNode>> sortedMembers(JsonNode object) {
    List<Map.Entry<String, JsonNode>> members = new ArrayList<>(object.size());
    for (Map.Entry<String, JsonNode> e : object.properties()) members.add(e);
    members.sort(Map.Entry.comparingByKey());
    return members;
  }

  /** A JSON string with exactly the escapes RFC 8785 allows, UTF-8 encoded. */
  public static void writeString(String s, ByteSink out) {
    out.write('"');
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      if (i > start) writeUtf8(s, start, i, out);
      out.write('\\');
      switch (c) {
        case '"' -> out.write('"');
        case '\\' -> out.write('\\');
        case '\b' -> out.write('b');
        case '\f' -> out.write('f');
        case '\n' -> out.write('n');
        case '\r' -> out.write('r');
        case '\t' -> out.write('t');
        default -> {
          out.write('u');
          out.write('0');
          out.write('0');
          out.write(HEX[c >> 4]);
          out.write(HEX[c & 0xF]);
        }
      }
      start = i + 1;
    }
    writeUtf8(s, start, s.length(), out);
    out.write('"');
  }

  private static void writeUtf8(String s, int from, int to, ByteSink out) {
    if (from < to && !out.writeAscii(s, from, to)) out.write(s.substring(from, to).getBytes(StandardCharsets.UTF_8));
  }

  private static void writeAscii(String s, ByteSink out) {
    for (int i = 0; i < s.length(); i++) out.write(s.charAt(i));
  }

  private static String number(JsonNode node) {
    if (node.canConvertToExactIntegral() && node.canConvertToLong()) {
      long v = node.longValue();
      if (Math.abs(v) <= (1L << 53)) return Long.toString(v);
    }
    return numberToString(node.doubleValue());
  }

  /** ECMAScript {@code Number.prototype.toString} for a finite double (ECMA-262 §6.1.6.1.20). */
  public static String numberToString(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("RFC 8785 has no representation for " + d);
    }
    if (d == 0) return "0";
    if (d < 0) return "-" + numberToString(-d);
    // Since JDK 19, Double.toString gives the shortest decimal that round-trips, the digits
    // ECMAScript asks for; only the layout differs.
    BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    if (exact.precision() == 2) {
      // Java always prints two significant digits where one may be enough (4.9E-324 for 5e-324).
      BigDecimal one = exact.round(new MathContext(1, RoundingMode.HALF_EVEN));
      if (Double.parseDouble(one.toString()) == d) exact = one.stripTrailingZeros();
    }
    String digits = exact.unscaledValue().toString();
    int k = digits.length();
    int n = k - exact.scale(); // d = 0.digits × 10^n
    StringBuilder sb = new StringBuilder(24);
    if (k <= n && n <= 21) {
      sb.append(digits);
      sb.repeat('0', n - k);
    } else if (0 < n && n <= 21) {
      sb.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      sb.append("0.");
      sb.repeat('0', -n);
      sb.append(digits);
    } else {
      int e = n - 1;
      sb.append(digits.charAt(0));
      if (k > 1) sb.append('.').append(digits, 1, k);
      sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
    return sb.toString();
  }
}
