package org.trailbook.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.JournalFiles;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import org.trailbook.verify.Verdict;
import tools.jackson.databind.JsonNode;

/**
 * The server never silently repairs history: the start-up check and the scrubber find tampering
 * done to the files on disk and refuse writes to that workspace only (503 naming the reason),
 * while merely missing derived tree files are rebuilt from the journal.
 */
class IntegrityChecksTest {
  @TempDir Path dir;
  String acme;
  String beta;

  private TestServer start() {
    // the scrubber's own schedule is off: tests call it directly
    return TestServer.start(ServerConfig.fromEnvironment(Map.of()).withDataDir(dir)
        .withIntegrity(IntegrityConfig.DEFAULTS.withScrubInterval(Duration.ZERO)));
  }

  /** Two workspaces with a few batches each, a checkpoint signed on the clean shutdown. */
  private void fill() {
    try (TestServer server = start()) {
      acme = server.workspaceWithKey("acme", "ingest", "read");
      beta = server.workspaceWithKey("beta", "ingest", "read");
      for (int i = 0; i < 3; i++) {
        post(server, beta, "b" + i);
        post(server, acme, "a" + i);
      }
    }
  }

  private static void post(TestServer server, String key, String id) {
    server.http.post("/v1/events", key, "{\"id\":\"" + id + "\",\"action\":\"thing.done\"}").expect(201);
  }

  @Test
  void aJournalShorterThanTheLatestCheckpointRefusesWritesToThatWorkspaceOnly() {
    fill();
    List<JournalFiles.Frame> frames = JournalFiles.read(dir);
    frames.remove(JournalFiles.indexOf(frames, "acme", lastSeq(frames, "acme")));
    JournalFiles.write(dir, frames); // still a valid journal: just one acme entry short

    try (TestServer server = start()) {
      JsonNode refused = server.http.post("/v1/events", acme, "{\"action\":\"thing.done\"}").expect(503).json();
      assertThat(refused.get("error").get("code").asString()).isEqualTo("integrity_failure");
      assertThat(refused.get("error").get("message").asString()).contains("acme").contains("checkpoint of size")
          .contains("restore");
      post(server, beta, "b-after");
      JsonNode health = server.http.get("/healthz", null).expect(200).json();
      assertThat(health.get("integrity").get("refused_workspaces").asLong()).isEqualTo(1);
      assertThat(health.get("integrity").get("integrity_failures_total").asLong()).isEqualTo(1);
      // the node is alive (other workspaces take writes) but not ready, and the open probe names no workspace
      assertThat(health.get("status").asString()).isEqualTo("ok");
      JsonNode ready = server.http.get("/readyz", null).expect(503).json();
      assertThat(ready.get("reasons").get(0).get("part").asString()).isEqualTo("integrity");
      assertThat(ready.get("refused_workspaces").asLong()).isEqualTo(1);
      assertThat(ready.toString()).doesNotContain("acme");
      // reads still work, so the evidence can be examined
      server.http.get("/v1/events/a0", acme).expect(200);
    }
  }

  @Test
  void aTreeLeafThatDiffersFromTheJournalRefusesWrites() {
    fill();
    Path leaves = dir.resolve("tree").resolve("acme").resolve("level-00");
    JournalFiles.flipByte(leaves, fileSize(leaves) - 5);
    try (TestServer server = start()) {
      String message = server.http.post("/v1/events", acme, "{\"action\":\"thing.done\"}").expect(503).json().get("error").get("message").asString();
      assertThat(message).contains("Merkle tree recorded");
      post(server, beta, "b-after");
    }
  }

  @Test
  void aChangedEntryThatNoLongerMatchesTheLatestCheckpointRefusesWrites() {
    fill();
    JournalFiles.replaceInPlace(dir, "acme", 2, t -> t.replace("thing.done", "thing.DONE"));
    // the tree still holds the old leaf: remove the tree so only the checkpoint can tell
    deleteTree("acme");
    try (TestServer server = start()) {
      String message = server.http.post("/v1/events", acme, "{\"action\":\"thing.done\"}").expect(503).json().get("error").get("message").asString();
      assertThat(message).contains("no longer matches its latest signed checkpoint");
    }
  }

  @Test
  void missingTreeFilesAreRebuiltFromTheJournal() {
    fill();
    deleteTree("acme");
    try (TestServer server = start()) {
      assertThat(server.server().integrity().treeSize("acme")).as("workspace created, key created, 3 events").isEqualTo(5);
      post(server, acme, "a-after");
      JsonNode proof = server.http.get("/v1/events/a-after/proof", acme).expect(200).json();
      assertThat(proof.get("inclusion_proof").get("size").asLong()).isGreaterThan(proof.get("leaf_index").asLong());
      assertThat(server.server().integrity().scrubAll()).allMatch(Verdict::ok);
    }
  }

  @Test
  void theScrubberFindsAByteChangedUnderARunningServer() {
    try (TestServer server = start()) {
      acme = server.workspaceWithKey("acme", "ingest", "read");
      beta = server.workspaceWithKey("beta", "ingest", "read");
      for (int i = 0; i < 4; i++) post(server, acme, "a" + i);
      post(server, beta, "b0");
      assertThat(server.server().integrity().scrubAll()).allMatch(Verdict::ok);

      JournalFiles.replaceInPlace(dir, "acme", 3, t -> t.replace("thing.done", "thing.DONE"));
      Verdict acmeVerdict = server.server().integrity().scrub("acme");
      assertThat(acmeVerdict.ok()).isFalse();
      assertThat(acmeVerdict.failure().seq()).isEqualTo(3);
      assertThat(acmeVerdict.line()).contains("acme: FAILED at seq 3");
      assertThat(server.server().integrity().scrub("beta").ok()).isTrue();

      String message = server.http.post("/v1/events", acme, "{\"action\":\"thing.done\"}").expect(503).json().get("error").get("message").asString();
      assertThat(message).contains("scrub").contains("seq 3");
      post(server, beta, "b1");
    }
  }

  @Test
  void theLogKeyIsCreatedOnceKeptSecretAndItsVerifierKeyPublished() throws Exception {
    fill();
    Path keyFile = dir.resolve("keys").resolve("log.key");
    String secret = Files.readString(keyFile);
    assertThat(secret).startsWith("PRIVATE+KEY+trailbook+");
    assertThat(Files.getPosixFilePermissions(keyFile)).hasSize(2); // owner read and write only
    try (TestServer server = start()) {
      String published = server.http.get("/v1/log/key", acme).expect(200).body();
      assertThat(published.strip()).isEqualTo(Files.readString(dir.resolve("keys").resolve("log.pub")).strip()).startsWith("trailbook+");
      assertThat(published).doesNotContain("PRIVATE");
      assertThat(Files.readString(keyFile)).isEqualTo(secret);
    }
  }

  private static long lastSeq(List<JournalFiles.Frame> frames, String ws) {
    return frames.stream().filter(f -> f.workspace().equals(ws)).mapToLong(JournalFiles.Frame::seq).max().orElseThrow();
  }

  private void deleteTree(String ws) {
    try (var files = Files.list(dir.resolve("tree").resolve(ws))) {
      for (Path p : files.toList()) Files.delete(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long fileSize(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
