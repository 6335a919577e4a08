package org.trailbook.journal;

import java.nio.file.Path;

/** The embedded journal passes the purge contract. */
class FileJournalPurgeTest extends EventStorePurgeContract {

  @Override
  protected EventStore openStore(Path dir) {
    return FileJournal.open(dir, new FileJournal.Options(1 << 20, 10_000, 20_000));
  }
}
