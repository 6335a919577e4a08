package org.trailbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostgresDatabaseTest {
  @Test
  void opensAndMigratesARealDatabaseAndHoldsAStatementTimeout() throws Exception {
    try (PostgresDatabase db = PostgresDatabase.open(StoreUrl.parse(TestPostgres.newDatabase()), PostgresDatabase.Options.defaults());
        Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SHOW statement_timeout")) {
      r.next();
      assertThat(r.getString(1)).isEqualTo("10s");
    }
  }

  @Test
  void parsesStoreUrlsAndNeverShowsThePassword() {
    StoreUrl u = StoreUrl.parse("postgresql://tb:s3cret@db.example.com/trail?sslmode=require", Optional.empty());
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5432/trail?sslmode=require");
    assertThat(u.user()).isEqualTo("tb");
    assertThat(u.password()).contains("s3cret");
    assertThat(u.toString()).doesNotContain("s3cret").isEqualTo("postgresql://tb@db.example.com:5432/trail");
    assertThat(StoreUrl.parse("postgresql://db:6543/x", Optional.of("envpw")).password()).contains("envpw");
    assertThatThrownBy(() -> StoreUrl.parse("mysql://a:b@h/db", Optional.empty()))
        .hasMessageContaining("postgresql://").hasMessageNotContaining(":b@");
    assertThatThrownBy(() -> StoreUrl.parse("postgresql://h", Optional.empty())).hasMessageContaining("no database");
  }

  @Test
  void anUnreachableStoreFailsWithAMessageNamingItButNotItsPassword() {
    StoreUrl u = StoreUrl.parse("postgresql://tb:hidden@127.0.0.1:1/none", Optional.empty());
    assertThatThrownBy(() -> PostgresDatabase.open(u, new PostgresDatabase.Options(2, java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(5))))
        .hasMessageContaining("postgresql://tb@127.0.0.1:1/none").hasMessageNotContaining("hidden");
  }
}
