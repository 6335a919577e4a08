package org.trailbook.retention;

import java.nio.charset.StandardCharsets;
import org.trailbook.journal.Entry;
import tools.jackson.databind.JsonNode;

/**
 * The two top-level members the purge decides on, {@code category} and {@code received_at}, read from an entry's
 * canonical bytes by a small scanner: the horizon scan reads every entry above the horizon, so what it costs per entry
 * is most of a purge's CPU (a JSON tree per entry was 64% of it; a streaming parser still tokenised every member). Same
 * values as {@code json.path(name).asString("")} on the tree ("" when the member is missing).
 *
 * <p>Why hand-written: canonical JSON (RFC 8785, what the journal stores) has no whitespace, sorts its keys and escapes
 * only what must be escaped, so the scanner only tells strings, nesting and the top level's keys apart — it looks at
 * each byte once and builds nothing but the two strings it returns. {@code category} sorts before {@code received_at},
 * so the scan stops at {@code received_at}, usually well before the entry ends. Anything it does not expect (a member
 * of another type, an escape inside one of the two values, bytes that are not canonical JSON) falls back to the tree,
 * so the answer always stays the tree's.
 */
record AgeFields(String category, String receivedAt) {
  private static final byte[] CATEGORY = "category".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RECEIVED_AT = "received_at".getBytes(StandardCharsets.US_ASCII);

  static AgeFields of(Entry entry) {
    byte[] b = entry.canonical();
    try {
      AgeFields scanned = scan(b);
      return scanned != null ? scanned : ofTree(entry.json());
    } catch (ArrayIndexOutOfBoundsException e) {
      return ofTree(entry.json()); // not canonical JSON: the tree says what it is
    }
  }

  /** The two members, or null where only the tree can tell. */
  private static AgeFields scan(byte[] b) {
    if (b.length < 2 || b[0] != '{') return null;
    String category = "";
    String receivedAt = "";
    int i = 1;
    if (b[i] == '}') return new AgeFields(category, receivedAt);
    while (true) {
      if (b[i] != '"') return null;
      int keyStart = i + 1;
      i = skipString(b, i);
      int keyEnd = i - 1;
      if (b[i++] != ':') return null;
      boolean isCategory = equalsRaw(b, keyStart, keyEnd, CATEGORY);
      boolean isReceivedAt = !isCategory && equalsRaw(b, keyStart, keyEnd, RECEIVED_AT);
      if (isCategory || isReceivedAt) {
        if (b[i] != '"') return null;
        int end = skipString(b, i);
        for (int k = i + 1; k < end - 1; k++) if (b[k] == '\\') return null; // escaped: let the tree decode it
        String value = new String(b, i + 1, end - i - 2, StandardCharsets.UTF_8);
        if (isCategory) category = value;
        else return new AgeFields(category, value);
        i = end;
      } else {
        if (sortsAfterReceivedAt(b, keyStart, keyEnd)) break; // sorted keys: neither member can follow
        i = skipValue(b, i);
      }
      if (b[i] == '}') break;
      if (b[i++] != ',') return null;
    }
    return new AgeFields(category, receivedAt);
  }

  /** The index after the string that starts (with its quote) at {@code i}. */
  private static int skipString(byte[] b, int i) {
    i++;
    while (true) {
      byte c = b[i++];
      if (c == '"') return i;
      if (c == '\\') i++; // the escaped byte (a \\uXXXX escape's digits need no care)
    }
  }

  /** The index after the value that starts at {@code i}. */
  private static int skipValue(byte[] b, int i) {
    byte c = b[i];
    if (c == '"') return skipString(b, i);
    if (c == '{' || c == '[') {
      int depth = 0;
      while (true) {
        c = b[i];
        if (c == '"') {
          i = skipString(b, i);
          continue;
        }
        i++;
        if (c == '{' || c == '[') depth++;
        else if ((c == '}' || c == ']') && --depth == 0) return i;
      }
    }
    while (b[i] != ',' && b[i] != '}') i++; // a number, true, false or null
    return i;
  }

  private static boolean equalsRaw(byte[] b, int from, int to, byte[] name) {
    if (to - from != name.length) return false;
    for (int k = 0; k < name.length; k++) if (b[from + k] != name[k]) return false;
    return true;
  }

  /** Whether a plain ASCII key sorts after {@code received_at}; false for any other key (the scan goes on: always right). */
  private static boolean sortsAfterReceivedAt(byte[] b, int from, int to) {
    for (int k = from; k < to; k++) if (b[k] < 0x20 || b[k] > 0x7e || b[k] == '\\') return false;
    int n = Math.min(to - from, RECEIVED_AT.length);
    for (int k = 0; k < n; k++) {
      if (b[from + k] != RECEIVED_AT[k]) return b[from + k] > RECEIVED_AT[k];
    }
    return to - from > RECEIVED_AT.length;
  }

  /** The tree's answer: what the scan read before, kept for members of an unexpected type and for escapes. */
  static AgeFields ofTree(JsonNode json) {
    return new AgeFields(json.path("category").asString(""), json.path("received_at").asString(""));
  }
}
