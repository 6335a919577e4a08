package org.trailbook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.TrailbookException;
import org.trailbook.http.HttpClientForTests;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TrailbookServer;

/** {@code trailbook serve} refuses bad options before creating anything, and a failed first start locks nobody out. */
class ServeCommandTest {
  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void aPortOutOfRangeIsAUsageErrorAndCreatesNothing() {
    Path data = tmp.resolve("data");
    Run r = run("serve", "--port", "70000", "--data", data.toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.err()).contains("--port").contains("from 0 to 65535").contains("70000");
    assertThat(data).doesNotExist();
  }

  @Test
  void aDataPathThatIsAFileIsAUsageError() throws IOException {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    Run r = run("serve", "--port", "0", "--host", "127.0.0.1", "--data", file.toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.err()).contains(file.toString()).contains("is a file, not a directory");
    Run under = run("serve", "--port", "0", "--host", "127.0.0.1", "--data", file.resolve("data").toString());
    assertThat(under.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(under.err()).contains("cannot be created").contains("is a file");
  }

  @Test
  void aBadStoreUrlIsAUsageErrorThatNamesTheRuleButNotThePasswordAndCreatesNothing() {
    Path data = tmp.resolve("data");
    Run r = run("serve", "--port", "0", "--host", "127.0.0.1", "--data", data.toString(), "--store", "mysql://tb:s3cret-pw@db/trail");
    assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.err()).contains("--store (or TRAILBOOK_STORE) must be postgresql://").doesNotContain("s3cret-pw");
    assertThat(r.out()).doesNotContain("s3cret-pw");
    assertThat(data).doesNotExist();
    Run noDb = run("serve", "--port", "0", "--data", data.toString(), "--store", "postgresql://tb:s3cret-pw@db");
    assertThat(noDb.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(noDb.err()).contains("no database").doesNotContain("s3cret-pw");
  }

  @Test
  void anUnknownHostIsAUsageError() {
    Path data = tmp.resolve("data");
    Run r = run("serve", "--port", "0", "--host", "no-such-host.invalid", "--data", data.toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.err()).contains("--host").contains("no-such-host.invalid");
    assertThat(data).doesNotExist();
  }

  @Test
  void aTakenPortIsSaidInWordsBeforeAnythingIsCreated() throws IOException {
    Path data = tmp.resolve("data");
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Run r = run("serve", "--port", Integer.toString(taken.getLocalPort()), "--host", "127.0.0.1", "--data", data.toString());
      assertThat(r.exit()).isEqualTo(Main.EXIT_ERROR);
      assertThat(r.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()).contains("another process holds the port");
    }
    assertThat(data).doesNotExist();
  }

  /** The port is taken only after the checks (a race): the admin key is made on the next start that listens, not lost. */
  @Test
  void aFirstStartThatCannotListenLeavesNoUnseenAdminKey() throws IOException {
    Path data = tmp.resolve("data");
    ServerConfig config = ServerConfig.fromEnvironment(Map.of()).withDataDir(data).withHost("127.0.0.1");
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      assertThatThrownBy(() -> TrailbookServer.start(config.withPort(taken.getLocalPort())))
          .isInstanceOf(TrailbookException.class).hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
    assertThat(data).isDirectory(); // the failed start got that far
    Optional<String> key;
    try (TrailbookServer server = TrailbookServer.start(config.withPort(0))) {
      key = server.generatedAdminKey();
      assertThat(key).as("the first start that listens still makes and shows the admin key").isPresent();
      new HttpClientForTests("http://127.0.0.1:" + server.port()).get("/v1/workspaces", key.orElseThrow()).expect(200);
    }
  }

  @Test
  void aConfiguredAdminKeyWorksAfterAFailedFirstStart() throws IOException {
    Path data = tmp.resolve("data");
    ServerConfig config = ServerConfig.fromEnvironment(Map.of()).withDataDir(data).withHost("127.0.0.1");
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      assertThatThrownBy(() -> TrailbookServer.start(config.withPort(taken.getLocalPort()))).isInstanceOf(TrailbookException.class);
    }
    try (TrailbookServer server = TrailbookServer.start(config.withPort(0).withAdminKey("tba_chosen_by_the_operator"))) {
      new HttpClientForTests("http://127.0.0.1:" + server.port()).get("/v1/workspaces", "tba_chosen_by_the_operator").expect(200);
    }
  }
}
