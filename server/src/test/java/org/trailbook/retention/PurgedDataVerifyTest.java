package org.trailbook.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.cli.Main;
import org.trailbook.server.TestServer;

/**
 * {@code trailbook verify --data} on a purged log catches an altered purged leaf hash, and exports of a purged log hold
 * exactly the retained entries.
 */
class PurgedDataVerifyTest {
  @TempDir Path dir;

  @Test
  void anAlteredPurgedLeafHashFailsVerificationAndExportsHoldOnlyRetainedEntries() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (TestServer s = TestServer.start(dir, clock)) {
      String ingestKey = s.workspaceWithKey("acme", "ingest");
      String exportKey = s.key("acme", "export");
      String adminKey = s.key("acme", "admin");
      PurgeEndToEndTest.put(s, "/v1/workspaces/acme/retention", adminKey, "{\"days\":7,\"archive\":false}");
      for (int day = 0; day < 20; day++) {
        s.http.post("/v1/events", ingestKey, "[{\"action\":\"doc.edited\"},{\"action\":\"doc.viewed\"},{\"action\":\"doc.shared\"}]").expect(201);
        clock.advance(Duration.ofDays(1));
      }
      s.server().integrity().signDue();
      long toSeq = s.http.post("/v1/workspaces/acme/retention/run", adminKey, "{}").expect(200).json().get("purged").get("to_seq").asLong();
      long size = s.server().integrity().treeSize("acme");
      String ndjson = s.http.get("/v1/exports/download?format=ndjson", exportKey).expect(200).body();
      String[] lines = ndjson.strip().split("\n");
      long purgedAway = toSeq - 5; // the access trail (workspace, three keys, policy) stays
      assertThat(lines).hasSize((int) (size - purgedAway));
      for (String line : lines) {
        var e = org.trailbook.Json.MAPPER.readTree(line);
        assertThat(e.get("seq").asLong() >= toSeq || "audit_log".equals(e.get("category").asString())).as(line).isTrue();
      }
    }
    assertThat(verify().code).isZero();

    // alter the leaf hash the purge kept for seq 20 (the file: a header, then 32 bytes per seq)
    Path leaves = dir.resolve("journal/purged-leaves/acme.leaves");
    try (FileChannel ch = FileChannel.open(leaves, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = ch.size() - 32L * (toSeqOf(ch) - 20);
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 1));
      ch.write(b.rewind(), at);
    }
    Result bad = verify();
    assertThat(bad.code).as(bad.out).isEqualTo(1);
    // seq 20's frame is still in the active segment (never compacted): its bytes no longer match the kept leaf
    assertThat(bad.out).contains("FAILED at seq 20").contains("purged leaf hashes were altered");
  }

  /** How many leaf hashes the file holds (its horizon): the header is shorter than one hash. */
  private static long toSeqOf(FileChannel ch) throws java.io.IOException {
    return ch.size() / 32;
  }

  private record Result(int code, String out) {}

  private Result verify() {
    StringWriter out = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(out, true), "verify", "--data", dir.toString());
    return new Result(code, out.toString());
  }
}
