package org.trailbook.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {
  @ParameterizedTest
  @CsvSource({
    "192.0.2.1, 192.0.2.1",
    "0.0.0.0, 0.0.0.0",
    "255.255.255.255, 255.255.255.255",
    "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
    "2001:0db8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "::, ::",
    "::1, ::1",
    "1::, 1::",
    "fe80::1:0:0:0:1, fe80:0:0:1::1",
    "::ffff:192.0.2.1, ::ffff:192.0.2.1",
    "::FFFF:c000:0201, ::ffff:192.0.2.1",
    "64:ff9b::192.0.2.1, 64:ff9b::c000:201",
  })
  void normalizesToTheCanonicalForm(String in, String out) {
    assertThat(IpAddresses.normalize(in)).isEqualTo(out);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", "1..3.4", "localhost", "example.com",
    "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "12345::",
    "fe80::1%eth0", "[::1]", "g::1", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4", ":::"
  })
  void refusesAnythingThatIsNotALiteral(String in) {
    assertThat(IpAddresses.normalize(in)).isNull();
  }
}
