package org.trailbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.postgres.StoreUrl;
import org.trailbook.postgres.TestPostgres;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/** {@code trailbook admin reset-key --store}: the reset on a PostgreSQL store, recorded in every workspace's log. */
class AdminResetKeyStoreTest {
  @TempDir Path dir;
  private String url;
  private String acmeKey;
  private String betaKey;

  @BeforeEach
  void twoWorkspaces() {
    url = TestPostgres.newDatabase();
    try (TestServer server = TestServer.start(config("first"))) {
      acmeKey = server.workspaceWithKey("acme", "read");
      betaKey = server.workspaceWithKey("beta", "read");
    }
  }

  private ServerConfig config(String node) {
    return ServerConfig.fromEnvironment(Map.of()).withDataDir(dir.resolve(node)).withStore(Optional.of(StoreUrl.parse(url)));
  }

  private String text(String sql) throws Exception {
    StoreUrl u = StoreUrl.parse(url);
    try (Connection c = DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password().orElse(null)); ResultSet r = c.createStatement().executeQuery(sql)) {
      return r.next() ? r.getString(1) : null;
    }
  }

  private static String newKey(ServeCommandTest.Run r) {
    Matcher m = Pattern.compile("New platform admin key \\(shown once, store it now\\): (tba_\\S+)").matcher(r.out());
    assertThat(m.find()).as(r.out() + r.err()).isTrue();
    return m.group(1);
  }

  private static void awaitStatus(TestServer server, String key, int status) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (server.http.get("/v1/workspaces", key).status() != status) {
      assertThat(System.nanoTime() - deadline).as("the admin key answers %d within 10 s", status).isNegative();
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // the poll interval, not a wait for the outcome
    }
  }

  @Test
  void replacesTheAdminKeyWhileANodeRunsAndRecordsItInEveryWorkspaceLog() throws Exception {
    try (TestServer node = TestServer.start(config("running"))) {
      ServeCommandTest.Run r = ServeCommandTest.run("admin", "reset-key", "--store", url);
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      String newKey = newKey(r);
      assertThat(r.out()).contains("recorded in the log of 2 workspaces");
      assertThat(text("SELECT key_hash FROM platform_admin_key")).doesNotContain(newKey);
      // the running node takes the new key within its access cache's staleness bound
      awaitStatus(node, TestServer.ADMIN_KEY, 401);
      awaitStatus(node, newKey, 200);
      for (String ws : new String[] {"acme", "beta"}) {
        assertThat(node.server().search().awaitVisible(ws, node.server().integrity().treeSize(ws), Duration.ofSeconds(30))).isTrue();
      }
      for (String key : new String[] {acmeKey, betaKey}) {
        JsonNode page = node.http.get("/v1/events?action=audit_log.admin_key_reset", key).expect(200).json();
        assertThat(page.get("events")).hasSize(1);
        assertThat(page.get("events").get(0).get("metadata").get("command").asString()).isEqualTo("trailbook admin reset-key");
      }
    }
    ServeCommandTest.Run verify = ServeCommandTest.run("verify", "--store", url);
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
  }

  @Test
  void withNoNodeRunningItSignsTheCheckpointOfItsRecords() throws Exception {
    ServeCommandTest.Run r = ServeCommandTest.run("admin", "reset-key", "--store", url);
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    newKey(r);
    for (String ws : new String[] {"acme", "beta"}) {
      assertThat(text("SELECT max(tree_size) FROM checkpoints WHERE workspace = '" + ws + "'")).as("checkpoint of %s", ws)
          .isEqualTo(text("SELECT size FROM workspace_heads WHERE workspace = '" + ws + "'"));
    }
    ServeCommandTest.Run verify = ServeCommandTest.run("verify", "--store", url);
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("acme: OK").contains("beta: OK");
  }

  @Test
  void refusesToSignWithAKeyOtherThanTheNodes() throws Exception {
    String before = text("SELECT key_hash FROM platform_admin_key");
    // as when the nodes sign with TRAILBOOK_LOG_KEY: the store recorded a verifier key but keeps no log key
    try (Connection c = DriverManager.getConnection(StoreUrl.parse(url).jdbcUrl(), StoreUrl.parse(url).user(), StoreUrl.parse(url).password().orElse(null))) {
      assertThat(c.createStatement().executeUpdate("DELETE FROM server_secrets WHERE name = 'log.key'")).isEqualTo(1);
    }
    ServeCommandTest.Run r = ServeCommandTest.run("admin", "reset-key", "--store", url);
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.err()).contains("TRAILBOOK_LOG_KEY");
    assertThat(r.out()).doesNotContain("tba_");
    assertThat(text("SELECT value FROM server_secrets WHERE name = 'log.key'")).as("no log key created").isNull();
    assertThat(text("SELECT key_hash FROM platform_admin_key")).as("the admin key is unchanged").isEqualTo(before);
  }

  @Test
  void badUsage() {
    ServeCommandTest.Run both = ServeCommandTest.run("admin", "reset-key", "--store", url, "--data", dir.toString());
    assertThat(both.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(both.err()).contains("not both");
    ServeCommandTest.Run bad = ServeCommandTest.run("admin", "reset-key", "--store", "mysql://x/y");
    assertThat(bad.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(bad.err()).contains("postgresql://");
  }
}
