package org.trailbook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.trailbook.TrailbookException;
import org.trailbook.postgres.StoreUrl;

/** Choosing the store: {@code --store} wins over {@code TRAILBOOK_STORE}, none means the embedded store, a bad URL names the rule but never the password. */
class ServerConfigStoreTest {
  @Test
  void noStoreMeansTheEmbeddedOne() {
    assertThat(ServerConfig.fromEnvironment(Map.of()).store()).isEmpty();
    assertThat(ServerConfig.fromEnvironment(Map.of("TRAILBOOK_STORE", "  ")).store()).isEmpty();
  }

  @Test
  void theEnvironmentNamesAPostgresStore() {
    ServerConfig c = ServerConfig.fromEnvironment(Map.of("TRAILBOOK_STORE", "postgresql://tb@db.example.com/trail", "PGPASSWORD", "pw"));
    StoreUrl store = c.store().orElseThrow();
    assertThat(store.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5432/trail");
    assertThat(store.user()).isEqualTo("tb");
    assertThat(store.password()).contains("pw");
  }

  @Test
  void theFlagWinsOverTheEnvironmentEvenWhenTheEnvironmentIsBad() {
    Map<String, String> env = Map.of("TRAILBOOK_STORE", "mysql://nope/x");
    Optional<StoreUrl> s = ServerConfig.storeFrom("postgresql://a@flag-host:6000/db", env);
    assertThat(s.orElseThrow().toString()).isEqualTo("postgresql://a@flag-host:6000/db");
    assertThatThrownBy(() -> ServerConfig.storeFrom(null, env)).hasMessageContaining("TRAILBOOK_STORE");
  }

  @Test
  void aBadUrlNamesTheRuleAndNeverThePassword() {
    assertThatThrownBy(() -> ServerConfig.storeFrom("mysql://tb:hunter2@h/db", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--store (or TRAILBOOK_STORE) must be postgresql://user[:password]@host[:port]/database")
        .hasMessageNotContaining("hunter2");
    // a password holding a '/' defeats a simple mask: it is still removed
    assertThatThrownBy(() -> ServerConfig.storeFrom("mysql://tb:se/cret@h/db", Map.of()))
        .hasMessageNotContaining("se/cret").hasMessageNotContaining("cret@");
    assertThatThrownBy(() -> ServerConfig.storeFrom("postgresql://tb:pw9@host", Map.of()))
        .hasMessageContaining("no database").hasMessageNotContaining("pw9");
    // a short password holding a '/' is masked in the URL without garbling the rest of the message
    assertThatThrownBy(() -> ServerConfig.storeFrom("mysql://tb:p/@h/db", Map.of()))
        .hasMessageContaining("mysql://tb:***@h/db").hasMessageContaining("must be postgresql://");
  }

  @Test
  void theNodeNameIsGivenOrMadeFromHostAndPort() {
    ServerConfig named = ServerConfig.fromEnvironment(Map.of("TRAILBOOK_NODE_NAME", "node-a.eu-1"));
    assertThat(named.nodeName()).contains("node-a.eu-1");
    assertThat(named.nodeLabel(8081)).isEqualTo("node-a.eu-1");
    ServerConfig unnamed = ServerConfig.fromEnvironment(Map.of());
    assertThat(unnamed.nodeName()).isEmpty();
    assertThat(unnamed.nodeLabel(8081)).endsWith(":8081").hasSizeGreaterThan(":8081".length());
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TRAILBOOK_NODE_NAME", "a b")))
        .isInstanceOf(TrailbookException.class).hasMessageContaining("TRAILBOOK_NODE_NAME");
  }

  @Test
  void theWithersKeepTheStore() {
    ServerConfig c = ServerConfig.fromEnvironment(Map.of("TRAILBOOK_STORE", "postgresql://tb@h/db", "TRAILBOOK_NODE_NAME", "n1"));
    ServerConfig changed = c.withPort(9000).withDataDir(java.nio.file.Path.of("x")).withAdminKey("k").withMinFreeDiskBytes(0);
    assertThat(changed.store()).isEqualTo(c.store());
    assertThat(changed.nodeName()).contains("n1");
  }
}
