package org.trailbook.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.cli.Main;
import org.trailbook.merkle.ConsistencyProof;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.InclusionProof;
import org.trailbook.merkle.ProofVerifier;
import org.trailbook.merkle.TreeHasher;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/**
 * A purge through a real server (in-process, its clock moved by the test): search and stats forget the purged
 * entries, reading them answers 410 naming the purge's record, retained entries stay provable against the latest
 * checkpoint, a checkpoint signed before the purge is still consistent with it, {@code trailbook verify --data} passes
 * and names the purge, and a tree rebuilt from scratch matches every checkpoint.
 */
class PurgeEndToEndTest {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final String WS = "acme";

  @TempDir Path dir;

  @Test
  void aPurgedLogStaysProvableSearchForgetsItAndVerifyNamesThePurge() throws Exception {
    SettableClock clock = new SettableClock(START);
    String ingestKey;
    String readKey;
    String adminKey;
    Checkpoint before;
    long recordSeq;
    String retainedId;
    long total;
    try (TestServer s = TestServer.start(dir, clock)) {
      ingestKey = s.workspaceWithKey(WS, "ingest");
      readKey = s.key(WS, "read");
      adminKey = s.key(WS, "admin");
      put(s, "/v1/workspaces/" + WS + "/retention", adminKey, "{\"days\":30,\"archive\":false}");
      for (int day = 0; day < 60; day++) { // 10 entries a day for 60 days
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 10; i++) body.append(i > 0 ? "," : "").append("{\"action\":\"doc.edited\",\"id\":\"d").append(day).append('-').append(i).append("\"}");
        s.http.post("/v1/events", ingestKey, body.append(']').toString()).expect(201);
        clock.advance(Duration.ofDays(1));
      }
      s.server().integrity().signDue();
      NoteVerifier verifier = NoteVerifier.parse(s.server().integrity().verifierKey());
      before = verifier.verifyCheckpoint(s.http.get("/v1/log/checkpoint", readKey).expect(200).body());
      long size = before.treeSize();
      assertThat(size).isGreaterThanOrEqualTo(603); // the key events, the policy change, 600 entries

      JsonNode run = s.http.post("/v1/workspaces/" + WS + "/retention/run", adminKey, "{}").expect(200).json();
      JsonNode purged = run.get("purged");
      assertThat(purged.isNull()).as(run.toString()).isFalse();
      long toSeq = purged.get("to_seq").asLong();
      recordSeq = purged.get("record_seq").asLong();
      assertThat(toSeq).isGreaterThan(300); // day 30's entries and older are gone; the audit trail at the start stays
      long kept = purged.get("kept").asLong();
      assertThat(kept).as("the access trail: workspace and key creation, policy change").isEqualTo(5);
      assertThat(s.http.post("/v1/workspaces/" + WS + "/retention/run", readKey, "{}").status()).isEqualTo(403);
      String metrics = s.http.get("/metrics", null).expect(200).body();
      assertThat(metrics).contains("trailbook_retention_purged_entries_total " + (double) purged.get("removed").asLong())
          .contains("trailbook_retention_purges_total 1.0").containsPattern("trailbook_retention_last_purge_timestamp_seconds \\d");

      // search and stats no longer count them
      assertThat(s.server().search().awaitCurrent(WS, Duration.ofSeconds(10))).isZero();
      JsonNode page = s.http.get("/v1/events?count=true&facets=category&limit=1000", readKey).expect(200).json();
      total = page.get("total").asLong();
      assertThat(total).isEqualTo(size + 1 - (toSeq - kept)); // everything but the removed, the record included
      assertThat(page.get("facets").get("category").get("audit_log").asLong()).isEqualTo(kept + 1);
      page.get("events").forEach(e -> assertThat(e.get("seq").asLong() >= toSeq || "audit_log".equals(e.get("category").asString())).isTrue());
      assertThat(s.http.get("/v1/events/d0-0", readKey).status()).as("a purged id answers as an unknown one").isEqualTo(404);

      // reading the purged range: 410 naming the record
      HttpResponseCheck gone = new HttpResponseCheck(s.http.get("/v1/log/entries?start=0&end=100", readKey));
      assertThat(gone.status).isEqualTo(410);
      assertThat(gone.json.path("error").path("code").asString()).isEqualTo("purged");
      assertThat(gone.json.path("error").path("purge").path("record_seq").asLong()).isEqualTo(recordSeq);
      assertThat(gone.json.path("error").path("purge").path("to_seq").asLong()).isEqualTo(toSeq);
      s.http.get("/v1/log/entries?start=" + toSeq + "&end=" + (toSeq + 10), readKey).expect(200);

      // a retained entry's inclusion proof verifies against the latest checkpoint
      retainedId = "d59-9";
      JsonNode proof = s.http.get("/v1/events/" + retainedId + "/proof", readKey).expect(200).json();
      Checkpoint latest = verifier.verifyCheckpoint(proof.get("checkpoint").asString());
      ProofVerifier.verifyInclusion(inclusion(proof.get("inclusion_proof")),
          new TreeHasher().leafHash(proof.get("entry").asString().getBytes(java.nio.charset.StandardCharsets.UTF_8)), latest.rootHash());
      // and the checkpoint signed before the purge is consistent with it
      s.server().integrity().signDue();
      Checkpoint after = verifier.verifyCheckpoint(s.http.get("/v1/log/checkpoint", readKey).expect(200).body());
      assertThat(after.treeSize()).isGreaterThan(before.treeSize());
      verifyConsistency(s, readKey, before, after);
      // the first retained entry chains to the purge's last leaf
      JsonNode first = Json.MAPPER.readTree(s.http.get("/v1/log/entries?start=" + toSeq + "&end=" + (toSeq + 1), readKey).expect(200).body());
      JsonNode record = Json.MAPPER.readTree(s.http.get("/v1/log/entries?start=" + recordSeq + "&end=" + (recordSeq + 1), readKey).expect(200).body());
      assertThat(first.get("prev_hash").asString()).isEqualTo(record.get("metadata").get("last_purged_hash").asString());
      assertThat(s.server().integrity().scrub(WS).ok()).isTrue();
    }

    // verify --data: passes, and names the purge
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "verify", "--data", dir.toString());
    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString()).contains("purged").contains("policy 30 days").contains("record seq " + recordSeq);

    // the trees rebuilt from nothing: purged leaves + retained entries give every checkpoint's root; the index too
    for (String derived : List.of("tree", "index")) {
      try (Stream<Path> files = Files.walk(dir.resolve(derived))) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
      }
    }
    try (TestServer s = TestServer.start(dir, clock)) {
      assertThat(s.server().integrity().refusedWorkspaces()).isZero();
      assertThat(s.server().integrity().scrub(WS).ok()).isTrue();
      NoteVerifier verifier = NoteVerifier.parse(s.server().integrity().verifierKey());
      Checkpoint latest = verifier.verifyCheckpoint(s.http.get("/v1/log/checkpoint", readKey).expect(200).body());
      verifyConsistency(s, readKey, before, latest);
      s.http.get("/v1/events/" + retainedId + "/proof", readKey).expect(200);
      assertThat(s.server().search().awaitCurrent(WS, Duration.ofSeconds(10))).isZero();
      assertThat(s.http.get("/v1/events?count=true&limit=1", readKey).expect(200).json().get("total").asLong())
          .as("the rebuilt index holds what the log holds").isEqualTo(total);
      s.http.post("/v1/events", ingestKey, "{\"action\":\"doc.edited\"}").expect(201); // writable
    }
  }

  static void put(TestServer s, String path, String key, String json) throws Exception {
    var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + s.server().port() + path))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build();
    var resp = java.net.http.HttpClient.newHttpClient().send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
  }

  private static InclusionProof inclusion(JsonNode p) {
    List<Hash> hashes = new ArrayList<>();
    p.get("hashes").forEach(h -> hashes.add(Hash.fromBase64(h.asString())));
    return new InclusionProof(p.get("index").asLong(), p.get("size").asLong(), hashes);
  }

  private static void verifyConsistency(TestServer s, String key, Checkpoint from, Checkpoint to) {
    JsonNode proof = s.http.get("/v1/log/proof/consistency?from=" + from.treeSize() + "&to=" + to.treeSize(), key).expect(200).json();
    List<Hash> hashes = new ArrayList<>();
    proof.get("hashes").forEach(h -> hashes.add(Hash.fromBase64(h.asString())));
    ProofVerifier.verifyConsistency(new ConsistencyProof(from.treeSize(), to.treeSize(), hashes), from.rootHash(), to.rootHash());
  }

  private record HttpResponseCheck(int status, JsonNode json) {
    HttpResponseCheck(org.trailbook.http.HttpClientForTests.Response r) {
      this(r.status(), Json.MAPPER.readTree(r.body()));
    }
  }
}
