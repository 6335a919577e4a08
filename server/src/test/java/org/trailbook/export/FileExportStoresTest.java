package org.trailbook.export;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The export contracts against the file stores: every {@code open} reopens the directory, as a restart does. */
class FileExportStoresTest {
  @TempDir Path dir;

  @Nested
  class Jobs extends ExportJobStoreContract {
    @Override
    protected ExportJobStore openStore() {
      return FileExportJobStore.open(dir, PER_HOUR, T0);
    }

    @Override
    protected ExportJobStore peer(ExportJobStore s) {
      return s;
    }

    @Override
    protected Duration runnerGoneAfter() {
      return Duration.ZERO; // a restart: whatever was running is queued again
    }
  }

  @Nested
  class Files extends ExportFilesContract {
    @Override
    protected ExportFiles openFiles() throws IOException {
      return FileExportFiles.open(dir);
    }

    @Override
    protected int largeSize() {
      return 300_000;
    }
  }
}
