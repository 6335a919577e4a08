package org.trailbook.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileServerSecretsTest extends ServerSecretsContract {
  @TempDir Path root;
  private Path dir;
  private int stores;

  @Override
  protected void newStore() {
    dir = root.resolve("keys-" + stores++);
  }

  @Override
  protected ServerSecrets node() {
    return new FileServerSecrets(dir);
  }

  @Test
  void writesEachSecretAsAnOwnerOnlyFileOfOneLine() throws Exception {
    newStore();
    node().getOrCreate("viewer-token.key", () -> "c2VjcmV0");
    Path file = dir.resolve("viewer-token.key");
    assertThat(Files.readString(file)).isEqualTo("c2VjcmV0\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }
}
