package org.trailbook.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.UnsupportedFormatException;
import tools.jackson.databind.JsonNode;

/** The retention contract against the file store (each {@link #openStore} reopens the directory, as a restart does), and its file. */
class FileRetentionStoreTest extends RetentionStoreContract {
  @TempDir Path dir;

  @Override
  protected RetentionStore openStore() {
    return FileRetentionStore.open(dir);
  }

  @Test
  void theFileIsVersionedAndOwnerOnly() throws IOException {
    openStore().setPolicy("acme", new RetentionPolicy(90, false));
    Path file = dir.resolve("retention.json");
    JsonNode json = Json.MAPPER.readTree(Files.readAllBytes(file));
    assertThat(json.get("format").asString()).isEqualTo("trailbook.retention");
    assertThat(json.get("version").asInt()).isEqualTo(1);
    assertThat(json.get("policies").get("acme").get("days").asInt()).isEqualTo(90);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void aNewerVersionIsRefusedNamingTheFile() throws IOException {
    Files.writeString(dir.resolve("retention.json"), "{\"format\":\"trailbook.retention\",\"version\":2,\"policies\":{}}");
    assertThatThrownBy(this::openStore).isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("retention.json");
  }

  @Test
  void aDamagedFileIsRefusedNamingIt() throws IOException {
    Files.writeString(dir.resolve("retention.json"), "{\"format\":\"trailbook.retention\",\"version\":1,\"policies\":{}}");
    assertThatThrownBy(this::openStore).hasMessageContaining("retention.json").hasMessageContaining("damaged");
  }
}
