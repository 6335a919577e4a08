package org.trailbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/** {@code trailbook admin reset-key}: the way back in when the platform admin key is lost, recorded in every log. */
class AdminResetKeyTest {
  @TempDir Path data;

  @Test
  void replacesTheAdminKeyAndRecordsItInEveryWorkspaceLog() {
    String acmeKey;
    String betaKey;
    try (TestServer server = TestServer.start(data)) {
      acmeKey = server.workspaceWithKey("acme", "read");
      betaKey = server.workspaceWithKey("beta", "read");
    }
    ServeCommandTest.Run r = ServeCommandTest.run("admin", "reset-key", "--data", data.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    Matcher m = Pattern.compile("New platform admin key \\(shown once, store it now\\): (tba_\\S+)").matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    String newKey = m.group(1);
    assertThat(r.out()).contains("recorded in the log of 2 workspaces");
    assertThat(data.resolve("access/state.json")).content().doesNotContain(newKey);

    try (TestServer server = TestServer.start(data)) {
      server.http.get("/v1/workspaces", TestServer.ADMIN_KEY).expect(401);
      server.http.get("/v1/workspaces", newKey).expect(200);
      for (String ws : new String[] {"acme", "beta"}) {
        assertThat(server.server().search().awaitVisible(ws, server.server().integrity().treeSize(ws), java.time.Duration.ofSeconds(30))).isTrue();
      }
      for (String key : new String[] {acmeKey, betaKey}) {
        JsonNode page = server.http.get("/v1/events?action=audit_log.admin_key_reset", key).expect(200).json();
        assertThat(page.get("events")).hasSize(1);
        JsonNode e = page.get("events").get(0);
        assertThat(e.get("category").asString()).isEqualTo("audit_log");
        assertThat(e.get("layer").asString()).isEqualTo("platform");
      }
    }
    // the offline append kept trees and checkpoints level with the journal: the data directory verifies
    ServeCommandTest.Run verify = ServeCommandTest.run("verify", "--data", data.toString());
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
  }

  @Test
  void aWorkspaceThatCannotTakeTheRecordLeavesTheKeyAsItWas() throws Exception {
    try (TestServer server = TestServer.start(data)) {
      server.workspaceWithKey("acme", "read");
      server.workspaceWithKey("beta", "read");
      server.server().integrity().signDue();
    }
    String before = Files.readString(data.resolve("access/state.json"));
    // acme's checkpoints replaced by beta's: acme fails its integrity check and refuses writes
    Files.copy(data.resolve("checkpoints/beta/checkpoints"), data.resolve("checkpoints/acme/checkpoints"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    ServeCommandTest.Run r = ServeCommandTest.run("admin", "reset-key", "--data", data.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(Main.EXIT_ERROR);
    assertThat(r.err()).contains("workspace 'acme' refuses writes");
    assertThat(r.out()).doesNotContain("tba_");
    assertThat(Files.readString(data.resolve("access/state.json"))).as("the admin key is unchanged").isEqualTo(before);
  }

  @Test
  void refusesToSignWithAKeyOtherThanTheServers() throws Exception {
    try (TestServer server = TestServer.start(data)) {
      server.workspaceWithKey("acme", "read");
      server.server().integrity().signDue();
    }
    String before = Files.readString(data.resolve("access/state.json"));
    Files.delete(data.resolve("keys/log.key")); // as when the server signs with TRAILBOOK_LOG_KEY
    ServeCommandTest.Run r = ServeCommandTest.run("admin", "reset-key", "--data", data.toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.err()).contains("TRAILBOOK_LOG_KEY");
    assertThat(data.resolve("keys/log.key")).doesNotExist();
    assertThat(Files.readString(data.resolve("access/state.json"))).isEqualTo(before);
  }

  @Test
  void refusesWhileTheServerRuns() {
    try (TestServer server = TestServer.start(data)) {
      ServeCommandTest.Run r = ServeCommandTest.run("admin", "reset-key", "--data", data.toString());
      assertThat(r.exit()).isEqualTo(Main.EXIT_ERROR);
      assertThat(r.err()).contains("in use").contains("stop the server first");
      server.http.get("/v1/workspaces", TestServer.ADMIN_KEY).expect(200);
    }
  }

  @Test
  void refusesAFolderThatIsNoDataDirectory() throws Exception {
    Path empty = Files.createDirectories(data.resolve("elsewhere"));
    ServeCommandTest.Run r = ServeCommandTest.run("admin", "reset-key", "--data", empty.toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.err()).contains("is not a Trailbook data directory");
    assertThat(empty.resolve(".lock")).doesNotExist();
  }
}
