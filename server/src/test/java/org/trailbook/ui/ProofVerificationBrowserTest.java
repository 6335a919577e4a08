package org.trailbook.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.LogKey;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.InclusionProof;
import org.trailbook.merkle.MerkleRoots;
import org.trailbook.merkle.ProofBuilder;
import org.trailbook.merkle.TreeHasher;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The page's in-browser verification (verify.js, WebCrypto) against proofs, roots and signed
 * checkpoints made by the Java reference in core: it accepts every correct proof and names what
 * failed for each kind of tampering.
 */
class ProofVerificationBrowserTest {
  @TempDir static Path dir;
  static PageFixture f;
  static Browser b;
  static final TreeHasher HASHER = new TreeHasher();
  static final LogKey KEY = LogKey.generate("trailbook/acme");

  @BeforeAll
  static void start() {
    f = new PageFixture(dir);
    b = new Browser();
    b.open(f.loginUrl("u_1", "Ana", "owner"));
    b.waitFor("the page", d -> d.getCurrentUrl().endsWith("/ui/"));
    b.waitIdle();
  }

  @AfterAll
  static void stop() {
    b.close();
    f.close();
  }

  static String entry(int seq) {
    return "{\"action\":\"x.created\",\"id\":\"e" + seq + "\",\"seq\":" + seq + ",\"summary\":\"caf\u00e9 \\\"" + seq + "\\\"\"}";
  }

  /** The proof response the server would give for leaf {@code index} of a tree of {@code size}. */
  static ObjectNode proof(int index, int size) {
    List<Hash> leaves = new ArrayList<>();
    MerkleRoots roots = new MerkleRoots();
    for (int i = 0; i < size; i++) {
      Hash h = HASHER.leafHash(entry(i).getBytes(StandardCharsets.UTF_8));
      leaves.add(h);
      roots.append(h);
    }
    InclusionProof p = ProofBuilder.inclusionProof((level, i) -> node(leaves, level, i), index, size);
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("entry", entry(index)).put("leaf_index", index);
    out.put("checkpoint", KEY.sign(new Checkpoint("trailbook/acme", size, roots.root())));
    ObjectNode ip = out.putObject("inclusion_proof").put("index", p.leafIndex()).put("size", p.treeSize());
    ArrayNode hashes = ip.putArray("hashes");
    for (Hash h : p.hashes()) hashes.add(h.base64());
    return out;
  }

  static Hash node(List<Hash> leaves, int level, long index) {
    if (level == 0) return leaves.get((int) index);
    return HASHER.nodeHash(node(leaves, level - 1, 2 * index), node(leaves, level - 1, 2 * index + 1));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> verify(ObjectNode proof, String shownJson, String key) {
    Object r = b.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "import('/ui/assets/verify.js').then(m => m.verifyProof(JSON.parse(arguments[0]), arguments[1] && JSON.parse(arguments[1]), arguments[2]))"
        + ".then(done, e => done({ok: 'threw', steps: [{text: String(e)}]}));", proof.toString(), shownJson, key);
    return (Map<String, Object>) r;
  }

  @SuppressWarnings("unchecked")
  static String lastStep(Map<String, Object> result) {
    List<Map<String, Object>> steps = (List<Map<String, Object>>) result.get("steps");
    return (String) steps.get(steps.size() - 1).get("text");
  }

  @Test
  void acceptsEveryCorrectProofAndTheSignature() {
    for (int size : new int[] {1, 2, 3, 4, 5, 7, 8, 13, 17, 64, 100}) {
      for (int index : new int[] {0, size / 3, size / 2, size - 1}) {
        Map<String, Object> r = verify(proof(index, size), entry(index), KEY.verifierKey());
        assertThat(r.get("ok")).as("leaf %d of %d: %s", index, size, r).isEqualTo(true);
        assertThat(lastStep(r)).isEqualTo("checkpoint signature by trailbook/acme is valid");
      }
    }
  }

  @Test
  void namesWhatFailedForEachKindOfTampering() {
    ObjectNode hash = proof(5, 13);
    String h0 = hash.get("inclusion_proof").get("hashes").get(0).asString();
    ((ArrayNode) hash.get("inclusion_proof").get("hashes")).set(0, (h0.startsWith("A") ? "B" : "A") + h0.substring(1));
    Map<String, Object> r = verify(hash, null, KEY.verifierKey());
    assertThat(r.get("ok")).isEqualTo(false);
    assertThat(lastStep(r)).startsWith("the computed root ").contains("does not match the checkpoint root");

    ObjectNode entry = proof(5, 13);
    entry.put("entry", entry(5).replace("x.created", "x.deleted"));
    assertThat(lastStep(verify(entry, null, KEY.verifierKey()))).contains("does not match the checkpoint root");

    ObjectNode otherSize = proof(5, 13);
    otherSize.put("checkpoint", proof(5, 14).get("checkpoint").asString());
    assertThat(lastStep(verify(otherSize, null, KEY.verifierKey()))).isEqualTo("the proof is for tree size 13 but the checkpoint is for 14");

    ObjectNode extra = proof(5, 13);
    ((ArrayNode) extra.get("inclusion_proof").get("hashes")).add(h0);
    assertThat(verify(extra, null, KEY.verifierKey()).get("ok")).isEqualTo(false);

    ObjectNode forged = proof(5, 13);
    forged.put("checkpoint", forged.get("checkpoint").asString().replaceFirst("^trailbook/acme\n", "trailbook/evil\n"));
    assertThat(lastStep(verify(forged, null, KEY.verifierKey()))).isEqualTo("the checkpoint signature by trailbook/acme does not verify");

    LogKey stranger = LogKey.generate("trailbook/acme");
    assertThat(lastStep(verify(proof(5, 13), null, stranger.verifierKey()))).isEqualTo("the checkpoint carries no signature by the log key trailbook/acme");

    assertThat(lastStep(verify(proof(5, 13), entry(6), KEY.verifierKey()))).startsWith("the proven entry is not the one shown");

    Map<String, Object> unsigned = verify(proof(5, 13), null, null);
    assertThat(unsigned.get("ok")).isEqualTo(true);
    assertThat(lastStep(unsigned)).isEqualTo("signature not checked: the server publishes no log key");
  }
}
