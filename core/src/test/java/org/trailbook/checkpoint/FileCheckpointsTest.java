package org.trailbook.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the file store, and its layout: one {@link CheckpointStore} file per workspace directory. */
class FileCheckpointsTest extends CheckpointsContract {
  @TempDir Path root;

  @Override
  protected Checkpoints openCheckpoints() {
    return FileCheckpoints.open(root);
  }

  @Test
  void eachWorkspaceHasItsOwnCheckpointStoreFile() {
    try (Checkpoints store = openCheckpoints()) {
      store.append("acme", 4, note("acme", 4));
    }
    try (CheckpointStore file = CheckpointStore.open(root.resolve("acme"))) {
      assertThat(file.sizes()).containsExactly(4L);
      assertThat(file.latest()).contains(note("acme", 4));
    }
  }

  @Test
  void aDamagedFileRefusesItsWorkspaceOnly() throws IOException {
    try (Checkpoints store = openCheckpoints()) {
      store.append("acme", 1, note("acme", 1));
      store.append("beta", 1, note("beta", 1));
    }
    Path file = root.resolve("acme").resolve("checkpoints");
    Files.write(file, "trailbook.views 9\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    try (Checkpoints store = openCheckpoints()) {
      assertThatThrownBy(() -> store.log("acme")).isInstanceOf(CheckpointException.class).hasMessageContaining(file.toString());
      assertThat(store.latest("beta")).contains(note("beta", 1));
    }
  }
}
