package org.trailbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void replacesContentAndLeavesNoTemporaryFileBehind() throws Exception {
    Path f = dir.resolve("sub/state.json");
    AtomicFiles.replace(f, "one".getBytes());
    AtomicFiles.replace(f, "two".getBytes());
    assertThat(Files.readString(f)).isEqualTo("two");
    try (var files = Files.list(f.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("state.json");
    }
  }

  @Test
  void createsASecretOnceReadableByItsOwnerOnly() throws Exception {
    Path f = dir.resolve("keys/secret.key");
    assertThat(AtomicFiles.createSecret(f, "first".getBytes())).isTrue();
    assertThat(AtomicFiles.createSecret(f, "second".getBytes())).isFalse();
    assertThat(Files.readString(f)).isEqualTo("first");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    try (var files = Files.list(f.getParent())) {
      assertThat(files.count()).isEqualTo(1);
    }
  }
}
