package org.trailbook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.cli.Main;
import org.trailbook.http.HttpClientForTests;
import org.trailbook.merkle.ConsistencyProof;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.ProofVerifier;
import org.trailbook.postgres.TestPostgres;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Three real server processes on one PostgreSQL store: concurrent ingest through all three into shared and
 * separate workspaces, the node that signs checkpoints SIGKILLed in the middle and started again. Then every
 * acknowledged event is there once with contiguous seqs and a valid chain, searchable on every node, {@code verify
 * --store} passes, and checkpoints signed before and after the change of signer are consistent.
 */
class MultiNodeProcessTest {
  static final String ADMIN = "tba_multi_node_test_admin_key";
  static final List<String> WORKSPACES = List.of("shared", "n0", "n1", "n2");
  @TempDir Path root;

  @Test
  void threeNodesKeepEveryAcknowledgedEventOnceInOrderThroughTheSignersSigkill() throws Exception {
    String store = TestPostgres.newDatabase();
    Map<String, String> env = Map.of("TRAILBOOK_STORE", store);
    List<ServerProcess> nodes = new ArrayList<>();
    try {
      // the first node takes the signing lease: nobody else is there yet
      for (int i = 0; i < 3; i++) nodes.add(startNode(i, env));
      HttpClientForTests admin = nodes.get(2).http();
      Map<String, String> keys = new HashMap<>();
      for (String ws : WORKSPACES) {
        admin.post("/v1/workspaces", ADMIN, "{\"id\":\"" + ws + "\"}").expect(201);
        keys.put(ws, admin.post("/v1/workspaces/" + ws + "/keys", ADMIN, "{\"name\":\"t\",\"scopes\":[\"ingest\",\"read\"]}").expect(201).json().get("key").asString());
      }
      // a key made through node 2 works on node 0 (bounded: the access cache is at most a second stale)
      awaitStatus(nodes.get(0).http(), "/v1/events?limit=1", keys.get("shared"), 200);

      Map<String, Map<String, Long>> acknowledged = new ConcurrentHashMap<>();
      WORKSPACES.forEach(ws -> acknowledged.put(ws, new ConcurrentHashMap<>()));
      NoteVerifier verifier = NoteVerifier.parse(nodes.get(1).http().get("/v1/log/key", keys.get("shared")).expect(200).body().strip());

      // a checkpoint from the first signer (node 0, the only one that could hold the lease when it started)
      ArrayNode first = Json.MAPPER.createArrayNode();
      for (int i = 0; i < 10; i++) first.addObject().put("id", "first-" + i).put("action", "order.created");
      for (JsonNode a : nodes.get(1).http().post("/v1/events", keys.get("shared"), first.toString()).expect(201).json().get("events")) {
        acknowledged.get("shared").put(a.get("id").asString(), a.get("seq").asLong());
      }
      Checkpoint before = awaitCheckpoint(nodes.get(1).http(), keys.get("shared"), verifier, 10);
      assertThat(signers(nodes)).containsExactly(0);

      // round 1: every node ingests; the signer (node 0) is killed mid-ingest, and another node takes the lease
      ingestRound(nodes, keys, acknowledged, "r1", 0);
      ServerProcess restarted = startNode(0, env);
      nodes.set(0, restarted);

      // round 2: all three again, the restarted node too; a checkpoint beyond round 1 must come from the new signer
      ingestRound(nodes, keys, acknowledged, "r2", -1);
      long sizeNow = acknowledged.get("shared").values().stream().mapToLong(Long::longValue).max().orElseThrow() + 1;
      Checkpoint after = awaitCheckpoint(nodes.get(2).http(), keys.get("shared"), verifier, sizeNow);
      assertThat(after.treeSize()).isGreaterThan(before.treeSize());
      // the lease moved to a node that was running when the signer died (the restarted node 0 found it held)
      assertThat(signers(nodes)).hasSize(1).containsAnyOf(1, 2);
      for (ServerProcess n : nodes) {
        JsonNode proof = n.http().get("/v1/log/proof/consistency?from=" + before.treeSize() + "&to=" + after.treeSize(), keys.get("shared")).expect(200).json();
        List<Hash> hashes = new ArrayList<>();
        proof.get("hashes").forEach(h -> hashes.add(Hash.fromBase64(h.asString())));
        ProofVerifier.verifyConsistency(new ConsistencyProof(before.treeSize(), after.treeSize(), hashes), before.rootHash(), after.rootHash());
      }

      // every node serves every acknowledged event of every workspace, once, in order, chained, and finds it by search
      for (ServerProcess n : nodes) {
        for (String ws : WORKSPACES) LogCheck.check(n.http(), keys.get(ws), acknowledged.get(ws), null, ws + " on " + n.url());
        String someId = acknowledged.get("n1").keySet().iterator().next();
        JsonNode found = n.http().get("/v1/events?q=" + someId, keys.get("n1")).expect(200).json();
        assertThat(found.get("events")).extracting(e -> e.get("id").asString()).contains(someId);
      }
    } finally {
      for (ServerProcess n : nodes) n.close();
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "verify", "--store", store);
    assertThat(code).as(out + "\n" + err).isZero();
    for (String ws : WORKSPACES) assertThat(out.toString()).contains(ws);
  }

  /** The nodes whose log says they took the signing lease (not the purger's, which another node may hold). */
  private static List<Integer> signers(List<ServerProcess> nodes) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).output().stream().anyMatch(l -> l.contains("now holds the lease checkpoint_signer"))) out.add(i);
    }
    return out;
  }

  private ServerProcess startNode(int i, Map<String, String> env) throws java.io.IOException {
    return ServerProcess.start(root.resolve("node-" + i), ADMIN, List.of("-Xmx384m"), env);
  }

  /**
   * Two clients per node, one on the shared workspace and one on the node's own, until each has about 300
   * acknowledgements; with {@code kill} ≥ 0 that node is SIGKILLed once the others are under way.
   */
  private static void ingestRound(List<ServerProcess> nodes, Map<String, String> keys, Map<String, Map<String, Long>> acknowledged,
      String round, int kill) throws Exception {
    CountDownLatch underWay = new CountDownLatch(nodes.size() * 2);
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      HttpClientForTests http = nodes.get(i).http();
      for (String ws : List.of("shared", "n" + i)) {
        String prefix = round + "-node" + i + "-" + ws;
        Random random = new Random(prefix.hashCode());
        clients.add(Thread.ofVirtual().start(() -> ingest(http, keys.get(ws), prefix, random, acknowledged.get(ws), underWay, stop)));
      }
    }
    underWay.await(120, TimeUnit.SECONDS);
    if (kill >= 0) nodes.get(kill).kill();
    stop.set(true);
    for (Thread t : clients) t.join();
  }

  /** Sends batches of 1–20 events until told to stop or the node stops answering; counts down after 150 acknowledgements. */
  private static void ingest(HttpClientForTests http, String key, String prefix, Random random, Map<String, Long> acknowledged,
      CountDownLatch underWay, AtomicBoolean stop) {
    int acks = 0;
    boolean counted = false;
    for (int b = 0; !stop.get() || !counted; b++) {
      ArrayNode batch = Json.MAPPER.createArrayNode();
      int n = 1 + random.nextInt(20);
      for (int i = 0; i < n; i++) {
        ObjectNode e = batch.addObject();
        e.put("id", prefix + "-" + b + "-" + i);
        e.put("action", "order.created");
        e.putObject("metadata").put("n", random.nextInt()).put("text", "x".repeat(random.nextInt(200)));
      }
      try {
        HttpClientForTests.Response r = http.post("/v1/events", key, batch.toString());
        if (r.status() != 201) break;
        for (JsonNode a : r.json().get("events")) acknowledged.put(a.get("id").asString(), a.get("seq").asLong());
      } catch (RuntimeException connectionGone) {
        break;
      }
      acks += n;
      if (!counted && acks >= 150) {
        counted = true;
        underWay.countDown();
      }
    }
    if (!counted) underWay.countDown();
  }

  private static void awaitStatus(HttpClientForTests http, String path, String key, int status) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (http.get(path, key).status() != status) {
      assertThat(System.nanoTime()).as("%s answers %d", path, status).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  /** The latest checkpoint once one covers {@code size}, its signature checked. */
  private static Checkpoint awaitCheckpoint(HttpClientForTests http, String key, NoteVerifier verifier, long size) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      HttpClientForTests.Response r = http.get("/v1/log/checkpoint", key);
      if (r.status() == 200) {
        Checkpoint cp = verifier.verifyCheckpoint(r.body());
        if (cp.treeSize() >= size) return cp;
      }
      assertThat(System.nanoTime()).as("a checkpoint of at least %d entries", size).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }


}
