package org.trailbook.event;

/**
 * IP address literals: strict dotted-quad IPv4 (no leading zeros) and IPv6 (RFC 4291 text forms,
 * no zone id), normalized to the canonical form of RFC 5952. Pure string work: never a DNS lookup.
 */
final class IpAddresses {
  private IpAddresses() {}

  /** The canonical form of an IPv4 or IPv6 literal, or null when {@code text} is not one. */
  static String normalize(String text) {
    if (text.isEmpty() || text.length() > 45) return null;
    if (text.indexOf(':') < 0) return parseV4(text, 0, text.length()) >= 0 ? text : null;
    int[] groups = parseV6(text);
    return groups == null ? null : formatV6(groups);
  }

  /** The IPv4 address in {@code s[from, to)} as an unsigned 32-bit value, or -1. */
  private static long parseV4(String s, int from, int to) {
    long value = 0;
    int parts = 0;
    int i = from;
    while (true) {
      int start = i;
      int part = 0;
      while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
        part = part * 10 + (s.charAt(i) - '0');
        i++;
      }
      int len = i - start;
      if (len == 0 || part > 255 || (len > 1 && s.charAt(start) == '0')) return -1;
      value = (value << 8) | part;
      parts++;
      if (i == to) break;
      if (s.charAt(i) != '.' || parts == 4) return -1;
      i++;
    }
    return parts == 4 ? value : -1;
  }

  private static int[] parseV6(String s) {
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) return null;
    int[] head = gap < 0 ? groups(s, 0, s.length(), true) : groups(s, 0, gap, false);
    int[] tail = gap < 0 ? new int[0] : groups(s, gap + 2, s.length(), true);
    if (head == null || tail == null) return null;
    int count = head.length + tail.length;
    if (gap < 0 ? count != 8 : count > 7) return null;
    int[] all = new int[8];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(tail, 0, all, 8 - tail.length, tail.length);
    return all;
  }

  /** The 16-bit groups of {@code s[from, to)}; the last may be an IPv4 address (two groups). */
  private static int[] groups(String s, int from, int to, boolean v4Last) {
    if (from == to) return new int[0];
    int[] out = new int[8];
    int count = 0;
    int i = from;
    while (true) {
      int end = i;
      while (end < to && s.charAt(end) != ':') end++;
      if (end == to && v4Last && s.indexOf('.', i) >= 0 && s.indexOf('.', i) < to) {
        long v4 = parseV4(s, i, to);
        if (v4 < 0 || count > 6) return null;
        out[count++] = (int) (v4 >>> 16);
        out[count++] = (int) (v4 & 0xffff);
        break;
      }
      int len = end - i;
      if (len < 1 || len > 4 || count == 8) return null;
      int value = 0;
      for (int k = i; k < end; k++) {
        int d = Character.digit(s.charAt(k), 16);
        if (d < 0) return null;
        value = (value << 4) | d;
      }
      out[count++] = value;
      if (end == to) break;
      i = end + 1;
      if (i == to) return null; // trailing single colon
    }
    return java.util.Arrays.copyOf(out, count);
  }

  private static String formatV6(int[] g) {
    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
      return "::ffff:" + (g[6] >>> 8) + "." + (g[6] & 0xff) + "." + (g[7] >>> 8) + "." + (g[7] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1; // a single zero group is never compressed (RFC 5952 §4.2.2)
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) j++;
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder out = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLen - 1;
        continue;
      }
      if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') out.append(':');
      out.append(Integer.toHexString(g[i]));
    }
    return out.toString();
  }
}
