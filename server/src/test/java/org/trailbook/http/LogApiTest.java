package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/**
 * End to end over HTTP: events go in, then the checkpoint, entries and proofs come out and are
 * verified by an independent verifier written here — its own SHA-256 leaf and node hashing, the
 * RFC 9162 §2.1.3.2 and §2.1.4.2 loops, and the JDK's Ed25519 — sharing no code with the server.
 */
class LogApiTest {
  @TempDir Path dir;
  TestServer server;
  HttpClientForTests http;
  String key;

  @BeforeEach
  void start() {
    server = TestServer.start(dir);
    http = server.http;
    key = server.workspaceWithKey("acme", "ingest", "read");
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void checkpointEntriesAndProofsVerifyIndependently() {
    long last = ingest(0, 37);
    Note cp = awaitCheckpoint(last + 1);
    String verifierKey = http.get("/v1/log/key", key).expect(200).body().strip();
    Independent.verifySignature(cp.text, cp.signatures, verifierKey);
    assertThat(cp.origin).isEqualTo("trailbook/acme");

    // every entry: hash the NDJSON line as served, prove it into the checkpoint
    List<byte[]> lines = ndjson(http.get("/v1/log/entries?start=0&end=" + cp.size, key).expect(200));
    assertThat(lines).hasSize((int) cp.size);
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      byte[] leaf = Independent.leafHash(lines.get(i));
      leaves.add(leaf);
      JsonNode entry = tools.jackson.databind.json.JsonMapper.builder().build().readTree(lines.get(i));
      assertThat(entry.get("seq").asLong()).isEqualTo(i);
      assertThat(entry.get("prev_hash").asString()).isEqualTo(i == 0 ? "0".repeat(64) : HexFormat.of().formatHex(leaves.get(i - 1)));
      JsonNode proof = http.get("/v1/log/proof/inclusion?index=" + i + "&size=" + cp.size, key).expect(200).json();
      assertThat(proof.get("index").asLong()).isEqualTo(i);
      assertThat(Independent.rootFromInclusion(i, cp.size, leaf, hashes(proof))).isEqualTo(cp.root);
    }
    // the whole list of entries reproduces the root, too
    assertThat(Independent.root(leaves)).isEqualTo(cp.root);

    // one event's proof bundle, for an entry newer than any checkpoint: signed on demand, still verifies
    long newest = ingest(100, 1);
    JsonNode p = http.get("/v1/events/e100/proof", key).expect(200).json();
    assertThat(p.get("leaf_index").asLong()).isEqualTo(newest);
    Note signed = Note.parse(p.get("checkpoint").asString());
    Independent.verifySignature(signed.text, signed.signatures, verifierKey);
    assertThat(signed.size).isGreaterThan(newest);
    byte[] entry = p.get("entry").asString().getBytes(StandardCharsets.UTF_8);
    JsonNode ip = p.get("inclusion_proof");
    assertThat(ip.get("size").asLong()).isEqualTo(signed.size);
    assertThat(Independent.rootFromInclusion(newest, signed.size, Independent.leafHash(entry), hashes(ip))).isEqualTo(signed.root);
    assertThat(entry).isEqualTo(http.get("/v1/events/e100", key).expect(200).raw().body());
  }

  @Test
  void checkpointAppearsWithinOneSecondOfAcknowledgementAndEveryOldOneIsConsistentWithTheNewest() {
    String verifierKey = http.get("/v1/log/key", key).expect(200).body().strip();
    List<Note> seen = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      long last = ingest(round * 10, 3 + round * 5);
      long acknowledged = System.nanoTime();
      Note cp = awaitCheckpointBy(last + 1, acknowledged + 1_000_000_000L);
      Independent.verifySignature(cp.text, cp.signatures, verifierKey);
      seen.add(cp);
    }
    Note newest = Note.parse(http.get("/v1/log/checkpoint", key).expect(200).body());
    for (Note old : seen) {
      // every checkpoint ever signed is kept and served by size
      assertThat(http.get("/v1/log/checkpoints?size=" + old.size, key).expect(200).body()).isEqualTo(old.raw);
      JsonNode proof = http.get("/v1/log/proof/consistency?from=" + old.size + "&to=" + newest.size, key).expect(200).json();
      assertThat(Independent.consistent(old.size, newest.size, old.root, newest.root, hashes(proof))).as("consistency %d → %d", old.size, newest.size).isTrue();
    }
    // and a proof against the wrong old root does not verify
    byte[] wrong = seen.getFirst().root.clone();
    wrong[0] ^= 1;
    JsonNode proof = http.get("/v1/log/proof/consistency?from=" + seen.getFirst().size + "&to=" + newest.size, key).expect(200).json();
    assertThat(Independent.consistent(seen.getFirst().size, newest.size, wrong, newest.root, hashes(proof))).isFalse();
  }

  @Test
  void rangesAndSizesOutsideTheRulesAre400sNamingTheRule() {
    ingest(0, 5);
    long size = server.server().integrity().treeSize("acme");
    JsonNode e = http.get("/v1/log/entries?start=0&end=1001", key).expect(400).json();
    assertThat(e.toString()).contains("at most 1000 entries per call");
    assertThat(http.get("/v1/log/entries?start=0&end=" + (size + 1), key).expect(400).body()).contains("at most the log size " + size);
    assertThat(http.get("/v1/log/proof/inclusion?index=0&size=" + (size + 1), key).expect(400).body()).contains("current tree size " + size);
    assertThat(http.get("/v1/log/proof/inclusion?index=" + size + "&size=" + size, key).expect(400).body()).contains("less than size");
    assertThat(http.get("/v1/log/proof/consistency?from=3&to=2", key).expect(400).body()).contains("at most to");
    assertThat(http.get("/v1/log/checkpoints?size=999999", key).expect(404).body()).contains("999999");
    assertThat(http.get("/v1/log/checkpoints", key).expect(400).body()).contains("size");
    http.get("/v1/log/checkpoint", null).expect(401);
    String ingestOnly = server.key("acme", "ingest");
    http.get("/v1/log/checkpoint", ingestOnly).expect(403);
  }

  @Test
  void eachWorkspaceHasItsOwnLogAndOrigin() {
    ingest(0, 2);
    String other = server.workspaceWithKey("beta", "ingest", "read");
    http.post("/v1/events", other, "{\"id\":\"b1\",\"action\":\"thing.made\"}").expect(201);
    Note beta = awaitCheckpoint(server.server().integrity().treeSize("beta"), other);
    assertThat(beta.origin).isEqualTo("trailbook/beta");
    List<byte[]> lines = ndjson(http.get("/v1/log/entries?start=0&end=" + beta.size, other).expect(200));
    assertThat(lines).allSatisfy(l -> assertThat(new String(l, StandardCharsets.UTF_8)).contains("\"workspace\":\"beta\""));
    http.get("/v1/events/e0/proof", other).expect(404);
  }

  @Test
  void healthReportsIntegrityCounters() {
    JsonNode h = http.get("/healthz", null).expect(200).json();
    assertThat(h.get("integrity").get("refused_workspaces").asLong()).isZero();
    assertThat(h.get("integrity").get("integrity_failures_total").asLong()).isZero();
  }

  // ------------------------------------------------------------------ helpers

  private long ingest(int firstId, int count) {
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      if (i > 0) body.append(',');
      body.append("{\"id\":\"e").append(firstId + i).append("\",\"action\":\"thing.done\",\"metadata\":{\"n\":").append(firstId + i).append("}}"); // a re-sent id is the same event
    }
    JsonNode r = http.post("/v1/events", key, body.append(']').toString()).expect(201).json();
    return r.get("events").get(count - 1).get("seq").asLong();
  }

  private Note awaitCheckpoint(long size) {
    return awaitCheckpoint(size, key);
  }

  private Note awaitCheckpoint(long size, String k) {
    return awaitCheckpointBy(size, System.nanoTime() + 5_000_000_000L, k);
  }

  private Note awaitCheckpointBy(long size, long deadlineNanos) {
    return awaitCheckpointBy(size, deadlineNanos, key);
  }

  /** Polls the latest checkpoint until it covers {@code size} entries; fails at the deadline. */
  private Note awaitCheckpointBy(long size, long deadlineNanos, String k) {
    while (true) {
      HttpClientForTests.Response r = http.get("/v1/log/checkpoint", k);
      if (r.status() == 200) {
        Note n = Note.parse(r.body());
        if (n.size >= size) return n;
      }
      assertThat(System.nanoTime()).as("a checkpoint of size >= %d by the deadline (last answer: %s)", size, r.body()).isLessThan(deadlineNanos);
      Thread.onSpinWait();
    }
  }

  private static List<byte[]> ndjson(HttpClientForTests.Response r) {
    assertThat(r.header("Content-Type")).startsWith("application/x-ndjson");
    byte[] body = r.raw().body();
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < body.length; i++) {
      if (body[i] == '\n') {
        lines.add(Arrays.copyOfRange(body, start, i));
        start = i + 1;
      }
    }
    assertThat(start).as("the body ends with a newline").isEqualTo(body.length);
    return lines;
  }

  private static List<byte[]> hashes(JsonNode proof) {
    List<byte[]> out = new ArrayList<>();
    for (JsonNode h : proof.get("hashes")) out.add(Base64.getDecoder().decode(h.asString()));
    return out;
  }

  /** A signed checkpoint, parsed by hand: text, origin, size, root, and the signature lines. */
  record Note(String raw, String text, String origin, long size, byte[] root, List<String> signatures) {
    static Note parse(String raw) {
      int split = raw.indexOf("\n\n");
      String text = raw.substring(0, split + 1);
      String[] body = text.split("\n");
      List<String> signatures = List.of(raw.substring(split + 2).split("\n"));
      return new Note(raw, text, body[0], Long.parseLong(body[1]), Base64.getDecoder().decode(body[2]), signatures);
    }
  }

  /** RFC 9162 and C2SP signed-note verification from the specifications, with nothing but the JDK. */
  static final class Independent {
    static byte[] digest(byte[]... parts) {
      try {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) d.update(p);
        return d.digest();
      } catch (GeneralSecurityException e) {
        throw new AssertionError(e);
      }
    }

    static byte[] leafHash(byte[] entry) {
      return digest(new byte[] {0}, entry);
    }

    static byte[] node(byte[] left, byte[] right) {
      return digest(new byte[] {1}, left, right);
    }

    /** MTH of RFC 9162 §2.1.1, recursively: split at the largest power of two smaller than n. */
    static byte[] root(List<byte[]> leaves) {
      if (leaves.size() == 1) return leaves.getFirst();
      int k = Integer.highestOneBit(leaves.size() - 1);
      return node(root(leaves.subList(0, k)), root(leaves.subList(k, leaves.size())));
    }

    /** RFC 9162 §2.1.3.2. */
    static byte[] rootFromInclusion(long index, long size, byte[] leaf, List<byte[]> path) {
      assertThat(index).isLessThan(size);
      long fn = index;
      long sn = size - 1;
      byte[] r = leaf;
      for (byte[] p : path) {
        assertThat(sn).as("proof too long").isPositive();
        if ((fn & 1) == 1 || fn == sn) {
          r = node(p, r);
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        } else {
          r = node(r, p);
        }
        fn >>= 1;
        sn >>= 1;
      }
      assertThat(sn).as("proof too short").isZero();
      return r;
    }

    /** RFC 9162 §2.1.4.2. */
    static boolean consistent(long first, long second, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
      if (first == second) return proof.isEmpty() && Arrays.equals(firstRoot, secondRoot);
      List<byte[]> path = new ArrayList<>(proof);
      if (Long.bitCount(first) == 1) path.addFirst(firstRoot);
      long fn = first - 1;
      long sn = second - 1;
      while ((fn & 1) == 1) {
        fn >>= 1;
        sn >>= 1;
      }
      byte[] fr = path.getFirst();
      byte[] sr = path.getFirst();
      for (byte[] c : path.subList(1, path.size())) {
        if (sn == 0) return false;
        if ((fn & 1) == 1 || fn == sn) {
          fr = node(c, fr);
          sr = node(c, sr);
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        } else {
          sr = node(sr, c);
        }
        fn >>= 1;
        sn >>= 1;
      }
      return sn == 0 && Arrays.equals(fr, firstRoot) && Arrays.equals(sr, secondRoot);
    }

    /** C2SP signed-note: the verifier key is name+hexid+base64(0x01 || key); a signature line is "— name base64(id || sig)". */
    static void verifySignature(String text, List<String> signatureLines, String verifierKey) {
      String[] k = verifierKey.split("\\+", 3);
      byte[] encoded = Base64.getDecoder().decode(k[2]);
      assertThat(encoded[0]).as("Ed25519 type byte").isEqualTo((byte) 1);
      byte[] raw = Arrays.copyOfRange(encoded, 1, encoded.length);
      byte[] idHash = digest(k[0].getBytes(StandardCharsets.UTF_8), new byte[] {'\n'}, encoded);
      assertThat(HexFormat.of().formatHex(idHash, 0, 4)).as("key id").isEqualTo(k[1]);
      String line = signatureLines.stream().filter(l -> l.startsWith("\u2014 " + k[0] + " ")).findFirst().orElseThrow();
      byte[] sig = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
      assertThat(HexFormat.of().formatHex(sig, 0, 4)).isEqualTo(k[1]);
      try {
        byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100");
        byte[] der = Arrays.copyOf(spki, spki.length + raw.length);
        System.arraycopy(raw, 0, der, spki.length, raw.length);
        PublicKey pub = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(pub);
        v.update(text.getBytes(StandardCharsets.UTF_8));
        assertThat(v.verify(Arrays.copyOfRange(sig, 4, sig.length))).as("Ed25519 signature of the checkpoint").isTrue();
      } catch (GeneralSecurityException e) {
        throw new AssertionError(e);
      }
    }
  }
}
