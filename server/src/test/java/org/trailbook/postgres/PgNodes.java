package org.trailbook.postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Several nodes' connections to one fresh test database; closes them all. */
final class PgNodes implements AutoCloseable {
  private final String url = TestPostgres.newDatabase();
  private final List<AutoCloseable> open = new ArrayList<>();

  /** A new node's pool on this test's database (small: tests open many). */
  PostgresDatabase node() {
    PostgresDatabase db = PostgresDatabase.open(StoreUrl.parse(url), new PostgresDatabase.Options(4, Duration.ofSeconds(5), Duration.ofSeconds(10)));
    open.add(db);
    return db;
  }

  /** Closes {@code c} with the nodes, before them. */
  <T extends AutoCloseable> T closing(T c) {
    open.add(c);
    return c;
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : open.reversed()) c.close();
  }
}
