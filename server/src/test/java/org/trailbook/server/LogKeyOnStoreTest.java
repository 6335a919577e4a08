package org.trailbook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.checkpoint.LogKey;
import org.trailbook.postgres.PostgresSigningLease;
import org.trailbook.postgres.StoreUrl;
import org.trailbook.postgres.TestPostgres;

/**
 * Every node of a PostgreSQL store signs with one key: a node configured with another {@code TRAILBOOK_LOG_KEY}
 * refuses to start — and, having refused, has signed nothing, although the signing lease was free and the log had
 * entries no checkpoint covered yet.
 */
class LogKeyOnStoreTest {
  static final String ADMIN = "tba_log_key_on_store_admin_key";
  @TempDir Path root;

  @Test
  void aNodeWithAnotherLogKeyRefusesToStartAndSignsNothing() throws Exception {
    String store = TestPostgres.newDatabase();
    StoreUrl url = StoreUrl.parse(store);
    // a first node records entries while the test holds the signing lease, so it signs none of them
    try (Connection holder = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password().orElse(null));
        Statement lock = holder.createStatement()) {
      lock.execute("SELECT pg_advisory_lock(" + PostgresSigningLease.lockKey("checkpoint_signer") + ")");
      ServerProcess first = ServerProcess.start(root.resolve("a"), ADMIN, List.of("-Xmx256m"), Map.of("TRAILBOOK_STORE", store));
      first.http().post("/v1/workspaces", ADMIN, "{\"id\":\"acme\"}").expect(201);
      first.kill();
    } // the lease is free again: the next node to start takes it
    assertThat(checkpoints(store)).isZero();

    String otherKey = LogKey.generate("trailbook").signerKey();
    assertThatThrownBy(() -> ServerProcess.start(root.resolve("b"), ADMIN, List.of("-Xmx256m"),
        Map.of("TRAILBOOK_STORE", store, "TRAILBOOK_LOG_KEY", otherKey)))
        .hasMessageContaining("is not the one the store's log is signed with");
    assertThat(checkpoints(store)).as("checkpoints signed by the refused node").isZero();

    // a node with the store's own key starts and signs what the log holds
    try (ServerProcess good = ServerProcess.start(root.resolve("c"), ADMIN, List.of("-Xmx256m"), Map.of("TRAILBOOK_STORE", store))) {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (checkpoints(store) == 0) {
        assertThat(System.nanoTime()).as("a checkpoint from the node with the store's key").isLessThan(deadline);
        Thread.sleep(20); // polling the database for the signer's row
      }
      assertThat(good.alive()).isTrue();
    }
  }

  private static long checkpoints(String store) throws Exception {
    StoreUrl u = StoreUrl.parse(store);
    try (Connection c = DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password().orElse(null));
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM checkpoints")) {
      r.next();
      return r.getLong(1);
    }
  }
}
