package org.trailbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.http.HttpClientForTests;
import org.trailbook.server.ServerProcess;
import org.trailbook.server.TestServer;

/**
 * {@code trailbook backup} while a real server process takes concurrent ingest: the copy verifies,
 * and a server started on it has every event acknowledged before the backup began.
 */
class BackupTest {
  static final String ADMIN = "tba_backup_test_admin_key";
  @TempDir Path tmp;

  @Test
  void anOnlineBackupHoldsEveryEventAcknowledgedBeforeItBeganAndVerifies() throws Exception {
    Path data = tmp.resolve("data");
    Path copy = tmp.resolve("copy");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Set<String> beforeBackup;
    String key;
    try (ServerProcess s = ServerProcess.start(data, ADMIN)) {
      HttpClientForTests http = s.http();
      http.post("/v1/workspaces", ADMIN, "{\"id\":\"acme\"}").expect(201);
      http.post("/v1/workspaces", ADMIN, "{\"id\":\"beta\"}").expect(201);
      key = http.post("/v1/workspaces/acme/keys", ADMIN, "{\"name\":\"t\",\"scopes\":[\"ingest\",\"read\"]}").expect(201).json().get("key").asString();
      String betaKey = http.post("/v1/workspaces/beta/keys", ADMIN, "{\"name\":\"t\",\"scopes\":[\"ingest\"]}").expect(201).json().get("key").asString();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger acks = new AtomicInteger();
      CountDownLatch warmedUp = new CountDownLatch(1);
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        String prefix = "c" + c + "-";
        String clientKey = c % 2 == 0 ? key : betaKey;
        clients.add(Thread.ofVirtual().start(() -> {
          for (int i = 0; i < 20_000 && !stop.get(); i++) {
            String id = prefix + i;
            int status = http.post("/v1/events", clientKey, "[{\"id\":\"" + id + "\",\"action\":\"backup.probe\"},{\"id\":\"" + id + "b\",\"action\":\"backup.probe\"}]").status();
            if (status == 201) {
              if (clientKey.equals(key)) {
                acknowledged.add(id);
                acknowledged.add(id + "b");
              }
              if (acks.incrementAndGet() == 200) warmedUp.countDown();
            }
          }
        }));
      }
      assertThat(warmedUp.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      beforeBackup = Set.copyOf(acknowledged);
      int acksAtStart = acks.get();
      ServeCommandTest.Run backup = run("backup", "--data", data.toString(), "--to", copy.toString());
      int acksAtEnd = acks.get();
      stop.set(true);
      for (Thread t : clients) t.join(Duration.ofSeconds(60));
      assertThat(backup.exit()).as(backup.err()).isZero();
      assertThat(backup.out()).contains("backed up").contains("journal entries");
      // the backup really ran while events were being acknowledged
      assertThat(acksAtEnd).as("acknowledgements during the backup").isGreaterThan(acksAtStart);
    }
    assertThat(copy.resolve("index")).doesNotExist();
    assertThat(copy.resolve(".lock")).doesNotExist();
    // the copy holds secrets (signing key, hashed credentials) and audit data: owner-only, like the original
    try (var walk = Files.walk(copy)) {
      for (Path p : walk.toList()) {
        String mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        assertThat(mode).as("mode of %s", copy.relativize(p)).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
      }
    }

    ServeCommandTest.Run verify = run("verify", "--data", copy.toString());
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("verified: every log holds");

    try (TestServer restored = TestServer.start(copy)) {
      for (String id : beforeBackup) restored.http.get("/v1/events/" + id, key).expect(200);
      // the restored copy takes writes again, continuing each log where the copy ends
      restored.http.post("/v1/events", key, "{\"id\":\"after-restore\",\"action\":\"backup.probe\"}").expect(201);
    }
  }

  @Test
  void refusesToWriteIntoADirectoryThatIsNotEmpty() throws Exception {
    Path data = tmp.resolve("data");
    try (TestServer s = TestServer.start(data)) {
      s.workspaceWithKey("acme", "ingest");
    }
    Path busy = Files.createDirectories(tmp.resolve("busy"));
    Files.writeString(busy.resolve("something"), "x");
    ServeCommandTest.Run r = run("backup", "--data", data.toString(), "--to", busy.toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_ERROR);
    assertThat(r.err()).contains("already exists and is not an empty directory");
    assertThat(busy.resolve("journal")).doesNotExist();
  }

  private static ServeCommandTest.Run run(String... args) {
    return ServeCommandTest.run(args);
  }
}
