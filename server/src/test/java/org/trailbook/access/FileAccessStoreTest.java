package org.trailbook.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the file store: each {@link #openStore} reads {@code state.json} of the same directory anew. */
class FileAccessStoreTest extends AccessStoreContract {
  @TempDir Path dir;

  @Override
  protected AccessStore openStore(Clock clock) {
    return FileAccessStore.open(dir, clock);
  }

  @Test
  void theFileHoldsOnlyTheHashesOfSecrets() throws IOException {
    AccessStore store = openStore(CLOCK);
    String admin = store.initAdminKey(null).orElseThrow();
    store.createWorkspace("acme", null);
    String secret = store.createKey("acme", "ci", List.of("read")).secret();
    String file = Files.readString(dir.resolve("state.json"));
    assertThat(file).doesNotContain(admin, secret).contains(AccessRules.sha256(admin), AccessRules.sha256(secret));
  }
}
