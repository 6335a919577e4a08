package org.trailbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class JsonFileFormatTest {
  private static final JsonFileFormat FORMAT = new JsonFileFormat("trailbook.example", 1);
  private static final Path FILE = Path.of("data", "example.json");

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theHeaderFieldsComeFirstAndAreTakenOffWhenRead() {
    ObjectNode body = Json.MAPPER.createObjectNode().put("a", 1).put("b", "two");
    ObjectNode stamped = FORMAT.stamp(body);
    assertThat(List.copyOf(stamped.propertyNames())).containsExactly("format", "version", "a", "b");
    JsonFileFormat.Read read = FORMAT.read(FILE, bytes(stamped.toString()));
    assertThat(read.version()).isEqualTo(1);
    assertThat(read.body()).isEqualTo(body);
  }

  @Test
  void withoutAHeaderAFileIsVersion0AndReadAsItIs() {
    assertThat(FORMAT.read(FILE, bytes("{\"a\":1}"))).isEqualTo(new JsonFileFormat.Read(0, Json.MAPPER.createObjectNode().put("a", 1)));
    assertThat(FORMAT.read(FILE, bytes("[1,2]")).version()).isZero();
  }

  @Test
  void aNewerVersionIsRefused() {
    assertThatThrownBy(() -> FORMAT.read(FILE, bytes("{\"format\":\"trailbook.example\",\"version\":2,\"a\":1}")))
        .isInstanceOf(UnsupportedFormatException.class)
        .hasMessage(FILE + " is trailbook.example format version 2, written by a newer Trailbook: upgrade Trailbook to read it"
            + " (this build reads versions 0 to 1)");
  }

  @Test
  void aDamagedHeaderIsNamed() {
    assertThatThrownBy(() -> FORMAT.read(FILE, bytes("{\"format\":\"trailbook.other\",\"version\":1}")))
        .isInstanceOf(TrailbookException.class)
        .hasMessage(FILE + " has a damaged format header: its \"format\" is \"trailbook.other\", not \"trailbook.example\"");
    assertThatThrownBy(() -> FORMAT.read(FILE, bytes("{\"format\":\"trailbook.example\"}")))
        .hasMessage(FILE + " has a damaged format header: its \"version\" is missing, not a whole number");
    assertThatThrownBy(() -> FORMAT.read(FILE, bytes("{\"format\":\"trailbook.example\",\"version\":1.5}")))
        .hasMessage(FILE + " has a damaged format header: its \"version\" is 1.5, not a whole number");
  }
}
