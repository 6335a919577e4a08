package org.trailbook.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.UnsupportedFormatException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** views/views.json is {"format":"trailbook.views","version":1,"views":[...]}; version 0 was the bare array. */
class ViewStoreFormatTest {
  @TempDir Path dir;

  private Path file() {
    return dir.resolve("views.json");
  }

  @Test
  void aVersion0BareArrayIsReadAndRewrittenWithTheHeader() throws IOException {
    ViewStore.open(dir, Clock.systemUTC()).create("acme", "riley", "Failures", "status=failure");
    ViewStore.open(dir, Clock.systemUTC()).create("acme", "riley", "Sign-ins", "q=auth.login");
    JsonNode v1 = Json.MAPPER.readTree(Files.readAllBytes(file()));
    assertThat(v1.get("format").asString()).isEqualTo("trailbook.views");
    // what the code before headers wrote: the list itself
    Files.write(file(), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(v1.get("views")));

    ViewStore store = ViewStore.open(dir, Clock.systemUTC());
    assertThat(store.list("acme", "riley")).extracting(SavedView::name).containsExactly("Failures", "Sign-ins");
    JsonNode upgraded = Json.MAPPER.readTree(Files.readAllBytes(file()));
    assertThat(upgraded.get("version").asInt()).isEqualTo(1);
    assertThat(upgraded.get("views")).isEqualTo(v1.get("views"));
  }

  @Test
  void aNewerVersionIsRefused() throws IOException {
    ViewStore.open(dir, Clock.systemUTC()).create("acme", "riley", "Failures", "status=failure");
    ObjectNode newer = ((ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(file()))).put("version", 7);
    Files.write(file(), Json.MAPPER.writeValueAsBytes(newer));
    assertThatThrownBy(() -> ViewStore.open(dir, Clock.systemUTC())).isInstanceOf(UnsupportedFormatException.class)
        .hasMessageContaining("trailbook.views format version 7, written by a newer Trailbook: upgrade");
  }

  @Test
  void aDamagedHeaderIsNamed() throws IOException {
    ViewStore.open(dir, Clock.systemUTC()).create("acme", "riley", "Failures", "status=failure");
    ObjectNode damaged = ((ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(file()))).put("format", "trailbook.access");
    Files.write(file(), Json.MAPPER.writeValueAsBytes(damaged));
    assertThatThrownBy(() -> ViewStore.open(dir, Clock.systemUTC())).isInstanceOf(org.trailbook.TrailbookException.class)
        .hasMessage(file() + " has a damaged format header: its \"format\" is \"trailbook.access\", not \"trailbook.views\"");
  }
}
