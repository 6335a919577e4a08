package org.trailbook.postgres;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.trailbook.journal.EventStore;
import org.trailbook.journal.EventStorePurgeContract;

/** The PostgreSQL store passes the purge contract; each test directory stands for one database. */
class PostgresEventStorePurgeTest extends EventStorePurgeContract {
  private static final Map<Path, String> databases = new ConcurrentHashMap<>();

  @Override
  protected EventStore openStore(Path dir) {
    return PostgresEventStore.open(StoreUrl.parse(databases.computeIfAbsent(dir, d -> TestPostgres.newDatabase())));
  }
}
