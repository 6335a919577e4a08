package org.trailbook.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Utf8Test {
  private static int check(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
    return Utf8.firstInvalid(b, 0, b.length);
  }

  @Test
  void acceptsAsciiAndEveryMultiByteLength() {
    byte[] text = "aé€😀\u0000\uFFFD\uD7FF\uE000\uDBFF\uDFFF".getBytes(UTF_8);
    assertThat(Utf8.firstInvalid(text, 0, text.length)).isEqualTo(-1);
  }

  @Test
  void refusesOverlongEncodings() {
    assertThat(check('a', 0xC0, 0xAF)).isEqualTo(1); // '/' in two bytes
    assertThat(check(0xC1, 0xBF)).isZero();
    assertThat(check(0xE0, 0x80, 0xAF)).isZero(); // three bytes
    assertThat(check(0xF0, 0x80, 0x80, 0xAF)).isZero(); // four bytes
  }

  @Test
  void refusesEncodedSurrogates() {
    assertThat(check('x', 0xED, 0xA0, 0x80)).isEqualTo(1); // U+D800
    assertThat(check(0xED, 0xBF, 0xBF)).isZero(); // U+DFFF
  }

  @Test
  void refusesTruncatedSequences() {
    assertThat(check('a', 'b', 0xE2, 0x82)).isEqualTo(2);
    assertThat(check(0xF0, 0x9F, 0x98)).isZero();
    assertThat(check(0xC3)).isZero();
    assertThat(check(0xC3, 'a')).isZero(); // continuation missing
  }

  @Test
  void refusesStrayContinuationsAndBytesThatNeverAppear() {
    assertThat(check(0x80)).isZero();
    assertThat(check('a', 0xBF)).isEqualTo(1);
    assertThat(check(0xF5, 0x80, 0x80, 0x80)).isZero();
    assertThat(check(0xFF)).isZero();
    assertThat(check(0xF4, 0x90, 0x80, 0x80)).isZero(); // above U+10FFFF
  }

  @Test
  void checksOnlyTheGivenRange() {
    byte[] b = {(byte) 0xFF, 'a', 'b', (byte) 0xFF};
    assertThat(Utf8.firstInvalid(b, 1, 3)).isEqualTo(-1);
  }
}
