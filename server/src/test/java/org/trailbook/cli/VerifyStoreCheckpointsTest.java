package org.trailbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.LogKey;
import org.trailbook.cli.VerifyDataTest.Run;
import org.trailbook.merkle.Hash;
import org.trailbook.postgres.StoreUrl;
import org.trailbook.postgres.TestPostgres;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;

/**
 * {@code trailbook verify --store} checks every checkpoint a server stored in PostgreSQL: its signature with the
 * verifier key the store recorded (or {@code --key}) and its root at its size. A real server fills the store and
 * signs; then checkpoint rows are forged in the database.
 */
class VerifyStoreCheckpointsTest {
  @TempDir Path dir;
  private String url;
  private long acmeSize;

  @BeforeEach
  void fillAndSign() throws Exception {
    url = TestPostgres.newDatabase();
    ServerConfig config = ServerConfig.fromEnvironment(Map.of()).withDataDir(dir.resolve("data")).withStore(Optional.of(StoreUrl.parse(url)));
    try (TestServer server = TestServer.start(config)) {
      String acme = server.workspaceWithKey("acme", "ingest");
      String beta = server.workspaceWithKey("beta", "ingest");
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 5; i++) server.http.post("/v1/events", acme, "{\"id\":\"a" + round + i + "\",\"action\":\"thing.done\"}").expect(201);
        server.http.post("/v1/events", beta, "{\"id\":\"b" + round + "\",\"action\":\"thing.done\"}").expect(201);
        for (String ws : new String[] {"acme", "beta"}) awaitCheckpointAtHead(server, ws); // two checkpoints each
      }
    }
    acmeSize = query("SELECT size FROM workspace_heads WHERE workspace = 'acme'");
    assertThat(query("SELECT count(*) FROM checkpoints WHERE workspace = 'acme'")).isGreaterThanOrEqualTo(2);
  }

  /** Signs until a checkpoint covers the workspace's whole log (the tree appender follows the store's feed). */
  private void awaitCheckpointAtHead(TestServer server, String ws) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (query("SELECT coalesce(max(tree_size), -1) FROM checkpoints WHERE workspace = '" + ws + "'")
        != query("SELECT size FROM workspace_heads WHERE workspace = '" + ws + "'")) {
      assertThat(System.nanoTime() - deadline).as("a checkpoint of %s at its head within 20 s", ws).isNegative();
      server.server().integrity().signDue();
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000); // the poll interval, not a wait for the outcome
    }
  }

  private Connection connect() throws Exception {
    StoreUrl u = StoreUrl.parse(url);
    return DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password().orElse(null));
  }

  private long query(String sql) throws Exception {
    try (Connection c = connect(); ResultSet r = c.createStatement().executeQuery(sql)) {
      assertThat(r.next()).as(sql).isTrue();
      return r.getLong(1);
    }
  }

  private String text(String sql) throws Exception {
    try (Connection c = connect(); ResultSet r = c.createStatement().executeQuery(sql)) {
      assertThat(r.next()).as(sql).isTrue();
      return r.getString(1);
    }
  }

  private void update(String sql, Object... params) throws Exception {
    try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) s.setObject(i + 1, params[i]);
      assertThat(s.executeUpdate()).as(sql).isEqualTo(1);
    }
  }

  @Test
  void aCleanStoreVerifiesEveryCheckpointWithTheRecordedKey() {
    Run r = VerifyDataTest.verify("--store", url);
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).containsPattern("acme: OK — " + acmeSize + " entries checked, tree size " + acmeSize + ", root \\S+, [2-9]\\d* signed checkpoints verified")
        .containsPattern("beta: OK — .*, [2-9]\\d* signed checkpoints verified")
        .contains("verified: every log holds");
  }

  @Test
  void aChangedRootByteInAStoredCheckpointFailsNamingTheWorkspace() throws Exception {
    long size = query("SELECT min(tree_size) FROM checkpoints WHERE workspace = 'acme'");
    String note = text("SELECT signed_note FROM checkpoints WHERE workspace = 'acme' AND tree_size = " + size);
    String[] lines = note.split("\n", -1);
    byte[] root = Base64.getDecoder().decode(lines[2]);
    root[7] ^= 1;
    lines[2] = Base64.getEncoder().encodeToString(root);
    update("UPDATE checkpoints SET signed_note = ? WHERE workspace = 'acme' AND tree_size = ?", String.join("\n", lines), size);
    Run r = VerifyDataTest.verify("--store", url);
    assertThat(r.code()).as(r.all()).isEqualTo(Main.EXIT_FAILED_CHECK);
    assertThat(r.err()).as(r.all()).contains("acme: FAILED at the checkpoint of size " + size + " — the checkpoint of size " + size + " is forged or altered");
    assertThat(r.out()).contains("beta: OK").contains("verification FAILED");
  }

  @Test
  void aSignedCheckpointBeyondTheLogFailsNamingTheWorkspace() throws Exception {
    // signed with the store's own key: only the entries it claims are missing, so the size alone gives it away
    LogKey key = LogKey.parse(text("SELECT value FROM server_secrets WHERE name = 'log.key'"));
    long beyond = acmeSize + 5;
    String forged = key.sign(new Checkpoint(key.name() + "/acme", beyond, Hash.of(new byte[32])));
    update("INSERT INTO checkpoints (workspace, tree_size, signed_note) VALUES ('acme', ?, ?)", beyond, forged);
    Run r = VerifyDataTest.verify("--store", url, "--workspace", "acme");
    assertThat(r.code()).as(r.all()).isEqualTo(Main.EXIT_FAILED_CHECK);
    assertThat(r.err()).as(r.all()).contains("acme: FAILED at seq " + acmeSize + " — the log ends after " + acmeSize
        + " entries but a checkpoint of size " + beyond + " was signed");
  }

  @Test
  void checkpointsOfAWorkspaceWithoutEntriesAreCheckedToo() throws Exception {
    LogKey key = LogKey.parse(text("SELECT value FROM server_secrets WHERE name = 'log.key'"));
    update("INSERT INTO checkpoints (workspace, tree_size, signed_note) VALUES ('ghost', 3, ?)",
        key.sign(new Checkpoint(key.name() + "/ghost", 3, Hash.of(new byte[32]))));
    Run r = VerifyDataTest.verify("--store", url);
    assertThat(r.code()).as(r.all()).isEqualTo(Main.EXIT_FAILED_CHECK);
    assertThat(r.err()).as(r.all()).contains("ghost: FAILED at seq 0 — the log ends after 0 entries but a checkpoint of size 3 was signed");
    assertThat(r.out()).contains("acme: OK").contains("beta: OK");
  }

  @Test
  void anotherKeyGivenWithKeyFailsAndTheRecordedOneGivenPasses() throws Exception {
    Path other = Files.writeString(dir.resolve("other.pub"), LogKey.generate(LogKey.parse(text("SELECT value FROM server_secrets WHERE name = 'log.key'")).name())
        .verifierKey() + "\n");
    Run wrong = VerifyDataTest.verify("--store", url, "--key", other.toString());
    assertThat(wrong.code()).as(wrong.all()).isEqualTo(Main.EXIT_FAILED_CHECK);
    assertThat(wrong.err()).contains("acme: FAILED at the checkpoint of size");
    Path right = Files.writeString(dir.resolve("log.pub"), text("SELECT value FROM server_secrets WHERE name = 'log.verifier'") + "\n");
    Run ok = VerifyDataTest.verify("--store", url, "--key", right.toString());
    assertThat(ok.code()).as(ok.all()).isZero();
  }

  @Test
  void checkpointsWithoutARecordedOrGivenKeyCannotBeChecked() throws Exception {
    update("DELETE FROM server_secrets WHERE name = 'log.verifier'");
    Run r = VerifyDataTest.verify("--store", url);
    assertThat(r.code()).as(r.all()).isEqualTo(Main.EXIT_ERROR);
    assertThat(r.err()).contains("could not run").contains("no recorded verifier key").contains("--key");
  }
}
