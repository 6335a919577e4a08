package org.trailbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FileFormatTest {
  private static final FileFormat FORMAT = new FileFormat("trailbook.example", 1);
  private static final Path FILE = Path.of("data", "example");

  @Test
  void aHeaderNamesItsFormatAndVersionAndIsFoundAgain() {
    byte[] header = FORMAT.header();
    assertThat(header).hasSize(FORMAT.headerLength()).startsWith(0xD7, 'T', 'B', 'F');
    assertThat(new String(header, 5, header[4], StandardCharsets.US_ASCII)).isEqualTo("trailbook.example");
    byte[] file = Arrays.copyOf(header, header.length + 10); // data follows
    assertThat(FORMAT.probe(FILE, file, file.length)).isEqualTo(new FileFormat.Headed(1, header.length));
  }

  @Test
  void dataWithoutAHeaderIsVersion0() {
    byte[] data = {0, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25};
    assertThat(FORMAT.probe(FILE, data, data.length)).isInstanceOf(FileFormat.Headerless.class);
    assertThat(FORMAT.probe(FILE, new byte[0], 0)).isInstanceOf(FileFormat.Headerless.class);
  }

  @Test
  void aNewerVersionIsRefusedNamingTheFileTheVersionAndWhatThisBuildReads() {
    byte[] newer = FORMAT.header(3);
    assertThatThrownBy(() -> FORMAT.probe(FILE, newer, newer.length))
        .isInstanceOf(UnsupportedFormatException.class)
        .hasMessage(FILE + " is trailbook.example format version 3, written by a newer Trailbook: upgrade Trailbook to read it"
            + " (this build reads versions 0 to 1)");
  }

  @Test
  void aDamagedHeaderIsNamedEvenWhenTheMagicItselfIsHit() {
    for (int at = 0; at < FORMAT.headerLength(); at++) {
      byte[] header = FORMAT.header();
      header[at] ^= 0x01;
      assertThat(FORMAT.probe(FILE, header, header.length)).as("byte %d flipped", at).isInstanceOf(FileFormat.Damaged.class);
    }
    byte[] torn = Arrays.copyOf(FORMAT.header(), 7);
    assertThat(FORMAT.probe(FILE, torn, torn.length)).isEqualTo(new FileFormat.Damaged("its header is incomplete (7 of 30 bytes)"));
  }

  @Test
  void anotherFormatsFileIsNotReadAsThisOne() {
    byte[] other = new FileFormat("trailbook.other!!", 1).header();
    assertThat(FORMAT.probe(FILE, other, other.length))
        .isEqualTo(new FileFormat.Damaged("its header names format 'trailbook.other!!', not 'trailbook.example'"));
  }
}
