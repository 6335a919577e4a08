package org.trailbook.journal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * What idempotency compares: the content of an entry as the server normalised it, read straight from its canonical
 * bytes. Two entries with the same id are "the same event" when their top-level members are byte-for-byte equal
 * except the receive-time, server-assigned ones ({@code received_at}, {@code seq}, {@code prev_hash}, {@code
 * workspace}), and their {@code time}s agree: equal, or both defaulted.
 *
 * <p>A defaulted {@code time} is the receive time, so a retry of an event sent without one carries a later default;
 * the stored entry does not say whether its time was sent, so "defaulted" is read as {@code time == received_at}
 * (both are the same millisecond string when the server filled it in). The one inexact case is a client whose
 * explicit time equals the receive millisecond: it counts as defaulted, which can only make a retry a duplicate,
 * never a false conflict.
 *
 * <p>Why compare bytes rather than keep a digest in memory: the writer already reads the stored entry to confirm an
 * id candidate (the id index holds 64-bit id hashes), so its bytes are at hand for free on the rare duplicate path.
 * This costs no memory per id, nothing on recovery (the content is derivable from what is stored because it
 * <em>is</em> what is stored), and nothing at all for new events.
 */
final class EntryContent {
  /** Top-level members that depend on when or where the entry was stored, not on what the client sent. */
  private static final Set<String> SERVER_ASSIGNED = Set.of("received_at", "seq", "prev_hash", "workspace");

  private final byte[] members;
  private final String time;
  private final String receivedAt;

  private EntryContent(byte[] members, String time, String receivedAt) {
    this.members = members;
    this.time = time;
    this.receivedAt = receivedAt;
  }

  /** The content of a finished canonical entry (RFC 8785 bytes of one JSON object). */
  static EntryContent of(byte[] canonical) {
    if (canonical.length < 2 || canonical[0] != '{') throw new IllegalArgumentException("not a canonical entry");
    ByteArrayOutputStream kept = new ByteArrayOutputStream(canonical.length);
    String time = null;
    String receivedAt = null;
    int i = 1;
    while (canonical[i] != '}') {
      int keyEnd = skipString(canonical, i);
      String key = new String(canonical, i + 1, keyEnd - i - 2, StandardCharsets.UTF_8);
      int valueStart = keyEnd + 1; // past ':'
      int valueEnd = skipValue(canonical, valueStart);
      if (key.equals("time")) {
        time = stringValue(canonical, valueStart, valueEnd);
      } else if (key.equals("received_at")) {
        receivedAt = stringValue(canonical, valueStart, valueEnd);
      } else if (!SERVER_ASSIGNED.contains(key)) {
        kept.write(canonical, i, valueEnd - i);
        kept.write(',');
      }
      i = canonical[valueEnd] == ',' ? valueEnd + 1 : valueEnd;
    }
    return new EntryContent(kept.toByteArray(), time, receivedAt);
  }

  /** The content of a prepared entry (its two holes do not take part). */
  static EntryContent of(PendingEntry pending) {
    return of(EntryEncoder.complete(pending, 0, org.trailbook.merkle.Hash.ZERO));
  }

  /** Whether a re-sent event with this content repeats {@code other} (a duplicate) rather than conflicting with it. */
  boolean sameEventAs(EntryContent other) {
    return Arrays.equals(members, other.members) && (eq(time, other.time) || (defaultedTime() && other.defaultedTime()));
  }

  private boolean defaultedTime() {
    return time != null && time.equals(receivedAt);
  }

  private static boolean eq(String a, String b) {
    return a == null ? b == null : a.equals(b);
  }

  private static String stringValue(byte[] c, int from, int to) {
    // time stamps hold no escapes; anything else is compared as its raw JSON text
    return new String(c, from, to - from, StandardCharsets.UTF_8);
  }

  /** Index just past the JSON string starting at {@code at} (a quote). */
  private static int skipString(byte[] c, int at) {
    int j = at + 1;
    while (c[j] != '"') j += c[j] == '\\' ? 2 : 1;
    return j + 1;
  }

  /** Index just past the JSON value starting at {@code at} (canonical JSON: no whitespace). */
  private static int skipValue(byte[] c, int at) {
    if (c[at] == '"') return skipString(c, at);
    if (c[at] != '{' && c[at] != '[') {
      int j = at;
      while (c[j] != ',' && c[j] != '}' && c[j] != ']') j++;
      return j;
    }
    int depth = 0;
    int j = at;
    do {
      byte b = c[j];
      if (b == '"') {
        j = skipString(c, j);
        continue;
      }
      if (b == '{' || b == '[') depth++;
      else if (b == '}' || b == ']') depth--;
      j++;
    } while (depth > 0);
    return j;
  }
}
