package org.trailbook.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.TrailbookException;
import org.trailbook.UnsupportedFormatException;
import tools.jackson.databind.node.ObjectNode;

/** access/state.json carries "format":"trailbook.access","version":1; version 0 (no header) is upgraded at open. */
class FileAccessStoreFormatTest {
  @TempDir Path dir;

  private Path file() {
    return dir.resolve("state.json");
  }

  private String populate() {
    FileAccessStore store = FileAccessStore.open(dir, Clock.systemUTC());
    store.initAdminKey("tba_admin");
    store.createWorkspace("acme", "Acme");
    return store.createKey("acme", "ci", List.of("ingest")).secret();
  }

  private ObjectNode stateFile() throws IOException {
    return (ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(file()));
  }

  @Test
  void theFileStartsWithItsHeader() throws IOException {
    populate();
    assertThat(List.copyOf(stateFile().propertyNames())).startsWith("format", "version");
    assertThat(stateFile().get("format").asString()).isEqualTo("trailbook.access");
    assertThat(stateFile().get("version").asInt()).isEqualTo(1);
  }

  @Test
  void aVersion0FileIsReadAndRewrittenWithTheHeader() throws IOException {
    String secret = populate();
    // what the code before headers wrote: the same object without the two header fields
    ObjectNode v0 = stateFile();
    v0.remove("format");
    v0.remove("version");
    Files.write(file(), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(v0));

    FileAccessStore store = FileAccessStore.open(dir, Clock.systemUTC());
    assertThat(store.workspace("acme")).isPresent();
    assertThat(store.authenticate(secret).workspace()).isEqualTo("acme");
    assertThat(store.authenticate("tba_admin").platformAdmin()).isTrue();
    ObjectNode upgraded = stateFile();
    assertThat(upgraded.get("format").asString()).isEqualTo("trailbook.access");
    assertThat(upgraded.get("version").asInt()).isEqualTo(1);
    upgraded.remove("format");
    upgraded.remove("version");
    assertThat(upgraded).as("nothing else changed").isEqualTo(v0);
  }

  @Test
  void aNewerVersionIsRefusedNamingTheFileAndVersions() throws IOException {
    populate();
    ObjectNode newer = stateFile().put("version", 2);
    Files.write(file(), Json.MAPPER.writeValueAsBytes(newer));
    assertThatThrownBy(() -> FileAccessStore.open(dir, Clock.systemUTC())).isInstanceOf(UnsupportedFormatException.class)
        .hasMessage(file() + " is trailbook.access format version 2, written by a newer Trailbook: upgrade Trailbook to read it"
            + " (this build reads versions 0 to 1)");
    assertThat(stateFile().get("version").asInt()).as("left as it was").isEqualTo(2);
  }

  @Test
  void aDamagedHeaderIsNamed() throws IOException {
    populate();
    Files.write(file(), Json.MAPPER.writeValueAsBytes(stateFile().put("format", "trailbook.views")));
    assertThatThrownBy(() -> FileAccessStore.open(dir, Clock.systemUTC())).isInstanceOf(TrailbookException.class)
        .hasMessage(file() + " has a damaged format header: its \"format\" is \"trailbook.views\", not \"trailbook.access\"");
    Files.write(file(), Json.MAPPER.writeValueAsBytes(stateFile().put("format", "trailbook.access").put("version", "one")));
    assertThatThrownBy(() -> FileAccessStore.open(dir, Clock.systemUTC())).isInstanceOf(TrailbookException.class)
        .hasMessageContaining(file() + " has a damaged format header: its \"version\" is \"one\"");
  }
}
