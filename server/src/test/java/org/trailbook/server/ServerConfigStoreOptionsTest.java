package org.trailbook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trailbook.TrailbookException;
import org.trailbook.postgres.PostgresDatabase;

/** {@code TRAILBOOK_STORE_POOL_SIZE} and {@code TRAILBOOK_STORE_STATEMENT_TIMEOUT_MS}: defaults, values, and errors naming the variable and its rule. */
class ServerConfigStoreOptionsTest {
  @Test
  void defaultsAreSixteenConnectionsAndTenSeconds() {
    PostgresDatabase.Options o = ServerConfig.fromEnvironment(Map.of()).storeOptions();
    assertThat(o.poolSize()).isEqualTo(16);
    assertThat(o.statementTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.connectTimeout()).isEqualTo(PostgresDatabase.Options.defaults().connectTimeout());
    assertThat(ServerConfig.fromEnvironment(Map.of("TRAILBOOK_STORE_POOL_SIZE", " ", "TRAILBOOK_STORE_STATEMENT_TIMEOUT_MS", "")).storeOptions())
        .isEqualTo(o);
  }

  @Test
  void theEnvironmentSetsBoth() {
    PostgresDatabase.Options o = ServerConfig.fromEnvironment(Map.of("TRAILBOOK_STORE_POOL_SIZE", "40",
        "TRAILBOOK_STORE_STATEMENT_TIMEOUT_MS", "1500")).storeOptions();
    assertThat(o.poolSize()).isEqualTo(40);
    assertThat(o.statementTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(o.connectTimeout()).isEqualTo(PostgresDatabase.Options.defaults().connectTimeout());
    // the bounds themselves are allowed
    assertThat(ServerConfig.fromEnvironment(Map.of("TRAILBOOK_STORE_POOL_SIZE", "2")).storeOptions().poolSize()).isEqualTo(2);
    assertThat(ServerConfig.fromEnvironment(Map.of("TRAILBOOK_STORE_STATEMENT_TIMEOUT_MS", "100")).storeOptions().statementTimeout())
        .isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void aBadValueNamesTheVariableAndTheRule() {
    for (String bad : new String[] {"1", "0", "-3", "1001"}) {
      assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TRAILBOOK_STORE_POOL_SIZE", bad)))
          .isInstanceOf(TrailbookException.class).hasMessageContaining("TRAILBOOK_STORE_POOL_SIZE must be from 2 to 1000").hasMessageEndingWith(bad);
    }
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TRAILBOOK_STORE_POOL_SIZE", "lots")))
        .hasMessageContaining("TRAILBOOK_STORE_POOL_SIZE must be an integer");
    for (String bad : new String[] {"99", "0", "3600001"}) {
      assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TRAILBOOK_STORE_STATEMENT_TIMEOUT_MS", bad)))
          .isInstanceOf(TrailbookException.class).hasMessageContaining("TRAILBOOK_STORE_STATEMENT_TIMEOUT_MS must be from 100 to 3600000 milliseconds")
          .hasMessageEndingWith(bad);
    }
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TRAILBOOK_STORE_STATEMENT_TIMEOUT_MS", "10s")))
        .hasMessageContaining("TRAILBOOK_STORE_STATEMENT_TIMEOUT_MS must be an integer");
  }
}
