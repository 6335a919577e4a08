package org.trailbook.event;

/** Strict UTF-8 checking (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. */
final class Utf8 {
  private Utf8() {}

  /** Returns the offset of the first byte that starts an invalid sequence, or -1 when all is valid. */
  static int firstInvalid(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xff;
      int need;
      int lo = 0x80;
      int hi = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) {
        need = 1;
      } else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        if (b == 0xe0) lo = 0xa0; // overlong
        if (b == 0xed) hi = 0x9f; // surrogates
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        if (b == 0xf0) lo = 0x90; // overlong
        if (b == 0xf4) hi = 0x8f; // above U+10FFFF
      } else {
        return i;
      }
      if (i + need >= to) return i; // truncated
      int second = bytes[i + 1] & 0xff;
      if (second < lo || second > hi) return i;
      for (int k = 2; k <= need; k++) {
        int c = bytes[i + k] & 0xff;
        if (c < 0x80 || c > 0xbf) return i;
      }
      i += need + 1;
    }
    return -1;
  }
}
