package org.trailbook.event;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds secrets written <em>inside</em> text — error messages, stack traces, header values, strings in metadata — in
 * the shapes they are usually written in, and replaces the value by {@link Redactor#MARKER}:
 *
 * <ul>
 *   <li>parameters {@code name=value} whose (percent-decoded) name matches a key word: query strings and form
 *       bodies, with {@code &} or {@code ;} between pairs, and {@code password = x} in prose. In free text the value
 *       ends at whitespace, a quote, {@code & ; # < > \}; in {@link #parameters parameter lists} only at {@code &},
 *       {@code ;} (and {@code #} in URLs);</li>
 *   <li>JSON members {@code "name": value} (also with escaped quotes, {@code \"name\":\"value\"}), whatever the
 *       value: a string, number, object or array (a {@code null} is kept);</li>
 *   <li>header lines {@code Name: value} at the start of a line whose name is a secret header or matches a key word
 *       (a dumped request: {@code Authorization: Bearer …}), up to the end of the line — unless the name ends in
 *       {@code Exception} or {@code Error} ({@code TokenExpiredError: jwt expired} heads a stack trace);</li>
 *   <li>the password of URL user info, {@code scheme://user:password@host}.</li>
 * </ul>
 *
 * <p>It scans each string once and looks closer only at {@code =} and {@code :}, so strings without secrets cost one
 * pass over their characters. {@code name: value} in the middle of a sentence is not matched on purpose: exception
 * names such as {@code TokenExpiredException: …} would lose their message.
 */
final class TextScrubber {
  private static final String MARKER = Redactor.MARKER;
  private static final int MAX_KEY = 256;

  private final RedactionRules rules;

  TextScrubber(RedactionRules rules) {
    this.rules = rules;
  }

  /** The text with every secret found replaced; the same instance when there was none. */
  String scrub(String text) {
    List<int[]> cut = null; // [from, to, quoteTheMarker]
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      int[] r = null;
      if (c == '=') r = parameter(text, i);
      else if (c == ':') r = colon(text, i);
      if (r == null) continue;
      if (cut == null) cut = new ArrayList<>();
      cut.add(r);
      i = Math.max(i, r[1] - 1);
    }
    return cut == null ? text : apply(text, cut);
  }

  /**
   * A list of {@code name=value} pairs (a form body, a query string, a URL fragment) separated by {@code &} or
   * {@code ;}: a value runs to the next separator (or {@code #} when {@code url}), whatever it holds.
   */
  String parameters(String params, boolean url) {
    List<int[]> cut = null;
    int start = 0;
    for (int i = 0; i <= params.length(); i++) {
      char c = i < params.length() ? params.charAt(i) : '&';
      if (c == '&' || c == ';' || (url && c == '#')) {
        int eq = params.indexOf('=', start);
        if (eq >= 0 && eq < i && isSecretName(params.substring(start, eq)) && !params.startsWith(MARKER, eq + 1) && eq + 1 < i) {
          if (cut == null) cut = new ArrayList<>();
          cut.add(new int[] {eq + 1, i, 0});
        }
        if (url && c == '#') break;
        start = i + 1;
      }
    }
    return cut == null ? params : apply(params, cut);
  }

  /** {@code name=value} in free text, {@code =} at {@code eq}. */
  private int[] parameter(String t, int eq) {
    int keyEnd = eq;
    while (keyEnd > 0 && t.charAt(keyEnd - 1) == ' ') keyEnd--;
    int keyStart = keyEnd;
    while (keyStart > 0 && eq - keyStart < MAX_KEY && isNameChar(t.charAt(keyStart - 1))) keyStart--;
    if (keyStart == keyEnd || !isSecretName(t.substring(keyStart, keyEnd))) return null;
    int v = eq + 1;
    while (v < t.length() && t.charAt(v) == ' ') v++;
    if (v < t.length() && (t.charAt(v) == '"' || t.charAt(v) == '\'')) {
      int close = t.indexOf(t.charAt(v), v + 1);
      return marked(t, v + 1, close < 0 ? t.length() : close, 0);
    }
    int end = v;
    while (end < t.length() && !endsFreeValue(t.charAt(end))) end++;
    return marked(t, v, end, 0);
  }

  private int[] colon(String t, int at) {
    if (t.startsWith("//", at + 1)) return userInfo(t, at + 3);
    int k = at - 1;
    while (k >= 0 && t.charAt(k) == ' ') k--;
    if (k >= 0 && t.charAt(k) == '"') return jsonMember(t, k, at);
    if (at + 1 < t.length() && (t.charAt(at + 1) == ' ' || t.charAt(at + 1) == '\t')) return headerLine(t, at);
    return null;
  }

  /** {@code "name": value}; {@code close} is the key's closing quote. */
  private int[] jsonMember(String t, int close, int colon) {
    boolean escaped = close > 0 && t.charAt(close - 1) == '\\';
    int keyEnd = escaped ? close - 1 : close;
    int open = t.lastIndexOf('"', keyEnd - 1);
    if (open < 0 || keyEnd - open > MAX_KEY) return null;
    if (!rules.isSecretKey(t.substring(open + 1, keyEnd))) return null;
    int v = colon + 1;
    while (v < t.length() && Character.isWhitespace(t.charAt(v))) v++;
    if (v >= t.length()) return null;
    char c = t.charAt(v);
    if (escaped && t.startsWith("\\\"", v)) {
      int end = t.indexOf("\\\"", v + 2);
      return marked(t, v + 2, end < 0 ? t.length() : end, 0);
    }
    if (c == '"') {
      int end = v + 1;
      while (end < t.length() && t.charAt(end) != '"') end += t.charAt(end) == '\\' ? 2 : 1;
      return marked(t, v + 1, Math.min(end, t.length()), 0);
    }
    if (t.startsWith("null", v)) return null;
    int end = c == '{' || c == '[' ? skipNested(t, v) : v;
    while (end < t.length() && ",}] \t\r\n".indexOf(t.charAt(end)) < 0) end++;
    return marked(t, v, end, 1);
  }

  /** {@code Name: value} at the start of a line, to its end. */
  private int[] headerLine(String t, int colon) {
    int start = colon;
    while (start > 0 && colon - start < MAX_KEY && isHeaderChar(t.charAt(start - 1))) start--;
    if (start == colon) return null;
    int lineStart = start;
    while (lineStart > 0 && (t.charAt(lineStart - 1) == ' ' || t.charAt(lineStart - 1) == '\t')) lineStart--;
    if (lineStart > 0 && t.charAt(lineStart - 1) != '\n' && t.charAt(lineStart - 1) != '\r') return null;
    String name = t.substring(start, colon);
    if (!rules.isSecretHeader(name) || isExceptionName(name)) return null;
    int v = colon + 1;
    while (v < t.length() && (t.charAt(v) == ' ' || t.charAt(v) == '\t')) v++;
    int end = v;
    while (end < t.length() && t.charAt(end) != '\n' && t.charAt(end) != '\r') end++;
    return marked(t, v, end, 0);
  }

  /** The password of {@code user:password@} starting at {@code from} (just after {@code ://}). */
  private static int[] userInfo(String t, int from) {
    int end = from;
    while (end < t.length() && "/?#\"'<> \t\r\n\\".indexOf(t.charAt(end)) < 0) end++;
    int at = t.lastIndexOf('@', end - 1);
    if (at < from) return null;
    int colon = t.indexOf(':', from);
    return colon >= 0 && colon < at ? marked(t, colon + 1, at, 0) : null;
  }

  private static int[] marked(String t, int from, int to, int quote) {
    if (to <= from || t.startsWith(MARKER, from) && to - from == MARKER.length()) return null;
    if (quote == 1 && t.startsWith("\"" + MARKER + "\"", from)) return null;
    return new int[] {from, to, quote};
  }

  private static int skipNested(String t, int at) {
    int depth = 0;
    for (int i = at; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '"') {
        i++;
        while (i < t.length() && t.charAt(i) != '"') i += t.charAt(i) == '\\' ? 2 : 1;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return i + 1;
      }
    }
    return t.length();
  }

  /** Whether a parameter name — percent-decoded up to three times, {@code +} as space — matches a key word. */
  boolean isSecretName(String name) {
    String n = name;
    for (int round = 0; round < 3 && (n.indexOf('%') >= 0 || n.indexOf('+') >= 0); round++) {
      try {
        n = URLDecoder.decode(n, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        break; // a stray '%': match what there is
      }
    }
    return rules.isSecretKey(n);
  }

  /** {@code TokenExpiredError: jwt expired} starts a stack trace, not a header: its message is kept. */
  private static boolean isExceptionName(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    return n.endsWith("exception") || n.endsWith("error");
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || "_-.%+~[]".indexOf(c) >= 0;
  }

  private static boolean isHeaderChar(char c) {
    return Character.isLetterOrDigit(c) || c == '-' || c == '_';
  }

  private static boolean endsFreeValue(char c) {
    return Character.isWhitespace(c) || "\"'&;#<>\\".indexOf(c) >= 0;
  }

  private static String apply(String text, List<int[]> cut) {
    StringBuilder out = new StringBuilder(text.length());
    int at = 0;
    for (int[] r : cut) {
      if (r[0] < at) continue; // overlapping finds: the first one covers it
      out.append(text, at, r[0]).append(r[2] == 1 ? "\"" + MARKER + "\"" : MARKER);
      at = r[1];
    }
    return out.append(text, at, text.length()).toString();
  }
}
