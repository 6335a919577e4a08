package org.trailbook.views;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The view contract against the file store: each {@link #openStore} reopens the same directory, as a restart does. */
class FileViewStoreTest extends ViewStoreContract {
  @TempDir Path dir;

  @Override
  protected ViewStore openStore() {
    return FileViewStore.open(dir, Clock.systemUTC());
  }
}
