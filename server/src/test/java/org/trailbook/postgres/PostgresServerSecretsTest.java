package org.trailbook.postgres;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.trailbook.secrets.ServerSecrets;
import org.trailbook.secrets.ServerSecretsContract;

class PostgresServerSecretsTest extends ServerSecretsContract {
  private final List<PostgresDatabase> opened = new ArrayList<>();
  private String url;

  @Override
  protected void newStore() {
    url = TestPostgres.newDatabase();
  }

  @Override
  protected ServerSecrets node() {
    PostgresDatabase db = PostgresDatabase.open(StoreUrl.parse(url), new PostgresDatabase.Options(2, java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(10)));
    opened.add(db);
    return new PostgresServerSecrets(db.dataSource());
  }

  @AfterEach
  void close() {
    opened.forEach(PostgresDatabase::close);
  }
}
