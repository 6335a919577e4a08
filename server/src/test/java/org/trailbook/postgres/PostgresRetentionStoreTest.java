package org.trailbook.postgres;

import org.junit.jupiter.api.AfterEach;
import org.trailbook.retention.RetentionStore;
import org.trailbook.retention.RetentionStoreContract;

/** The retention contract against PostgreSQL: each {@link #openStore} is another node on the same database. */
class PostgresRetentionStoreTest extends RetentionStoreContract {
  private final PgNodes nodes = new PgNodes();

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  @Override
  protected RetentionStore openStore() {
    return new PostgresRetentionStore(nodes.node());
  }
}
