package org.trailbook.ui;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The session contract against the file store: {@link #openStore} reopens the directory; it has one instance in service. */
class FileSessionStoreTest extends SessionStoreContract {
  @TempDir Path dir;

  @Override
  protected SessionStore openStore() {
    return FileSessionStore.open(dir, clock);
  }

  @Override
  protected SessionStore peer(SessionStore s) {
    return s;
  }
}
