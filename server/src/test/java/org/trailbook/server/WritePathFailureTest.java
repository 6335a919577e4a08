package org.trailbook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.trailbook.health.PartHealth;
import org.trailbook.http.HttpClientForTests;
import tools.jackson.databind.JsonNode;

/**
 * When a part the write path depends on fails, the server neither hangs nor lies: each test makes
 * one part fail through a real fault (an interrupt, a tree directory gone under the running server)
 * and checks the three promises: a prompt answer to writes (503 naming the part when the part
 * blocks writes, else a durable 201), {@code /healthz} and {@code /readyz} no longer ok and naming
 * the part (and no workspace), and exactly one ERROR line with the cause however many requests come
 * (and however often a supervised part is retried). The journal writer and the tree appender stay
 * failed; the signer and the indexer are retried by their supervisors (see also
 * {@code IndexerRecoveryTest}, {@code SignerAndScrubberRecoveryTest}).
 */
class WritePathFailureTest {
  private static final Duration PROMPT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private TestServer server;
  private HttpClientForTests http;
  private String acme;
  private String beta;
  private final ListAppender<ILoggingEvent> errors = new ListAppender<>();
  /** The whole server log: the one ERROR line must come from {@link PartHealth}, and no other part may log per request. */
  private final Logger serverLog = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void start() {
    errors.start();
    serverLog.addAppender(errors);
    server = TestServer.start(dir);
    http = server.http;
    acme = server.workspaceWithKey("acme", "ingest", "read");
    beta = server.workspaceWithKey("beta", "ingest", "read");
    post(beta, "b0").expect(201);
    http.get("/healthz", null).expect(200);
    assertThat(http.get("/healthz", null).json().get("status").asString()).isEqualTo("ok");
    awaitTrue(() -> http.get("/readyz", null).status() == 200);
    assertThat(http.get("/readyz", null).json().get("status").asString()).isEqualTo("ready");
  }

  @AfterEach
  void stop() {
    server.close();
    serverLog.detachAppender(errors);
  }

  @Test
  void aDeadJournalWriterAnswersWritesWith503AtOnceAndFailsBothProbes() throws InterruptedException {
    Thread writer = server.server().liveness().part("journal_writer").thread();
    writer.interrupt(); // a real fault: the writer's blocking wait for work throws

    for (String id : List.of("a0", "a1", "a2")) {
      JsonNode refused = promptly(() -> post(acme, id)).expect(503).json();
      assertThat(refused.get("error").get("code").asString()).isEqualTo("unavailable");
      assertThat(refused.get("error").get("message").asString()).contains("the journal writer stopped (InterruptedException)");
    }
    writer.join(PROMPT.toMillis());
    assertThat(writer.isAlive()).isFalse();
    assertNotLive("journal_writer");
    assertNotReady("journal_writer");
    http.get("/v1/events/b0", beta).expect(200); // what was acknowledged stays readable
    assertOneError("journal_writer", InterruptedException.class);
  }

  @Test
  void aFailedTreeAppenderRefusesWritesAndFailsBothProbes() throws IOException {
    long size = signedTreeSize("acme");
    deleteTree("acme"); // the open level files still take writes; the next new level file cannot be created
    // enough events for the tree to need a new level file: that append fails under the running server
    String batch = events("a", Long.highestOneBit(size) * 2 - size);
    // this group is durable in the journal (the source of truth), so its 201 is true
    promptly(() -> http.post("/v1/events", acme, batch)).expect(201);

    for (String key : List.of(acme, beta, acme)) {
      JsonNode refused = promptly(() -> post(key, "later")).expect(503).json();
      assertThat(refused.get("error").get("message").asString()).contains("the Merkle tree appender stopped");
    }
    // a proof of an entry the tree never got answers at once instead of waiting for the tree
    JsonNode noProof = promptly(() -> http.get("/v1/events/a0/proof", acme)).expect(503).json();
    assertThat(noProof.get("error").get("message").asString()).contains("the Merkle tree appender stopped");
    assertNotLive("tree_appender");
    assertNotReady("tree_appender");
    assertThat(server.server().integrity().refusedWorkspaces()).as("an I/O fault is not tampering").isZero();
    assertOneError("tree_appender", org.trailbook.merkle.TreeStoreException.class);
  }

  @Test
  void aFailingSignerLeavesWritesWorkingButTheNodeNotReadyAndStillSignsTheOtherWorkspaces() throws IOException {
    long size = signedTreeSize("acme");
    assertThat(Long.bitCount(size + 1)).as("one more event needs no new level file").isNotEqualTo(1);
    deleteTree("acme"); // appends still go to the open level files; the signer's sync cannot write its marker
    promptly(() -> post(acme, "a0")).expect(201);
    PartHealth signer = server.server().liveness().part("checkpoint_signer");
    awaitTrue(() -> signer.failure() != null);

    for (String id : List.of("b1", "b2", "b3")) promptly(() -> post(beta, id)).expect(201); // writes continue
    // acme's tree cannot be synced until a restart (a failed sync leaves the tree store refusing
    // writes): the supervisor retries the signer, which keeps failing on acme, but each pass still
    // signs every other workspace (before, the first failure stopped all signing for good)
    signedTreeSize("beta");
    awaitTrue(() -> signer.failures() >= 3);
    assertThat(signer.state()).isEqualTo(PartHealth.State.BACKING_OFF);
    JsonNode health = http.get("/healthz", null).expect(200).json();
    assertThat(health.get("status").asString()).isEqualTo("degraded");
    assertThat(parts(health)).containsExactly("checkpoint_signer");
    assertThat(health.get("reasons").get(0).get("failures").asLong()).isGreaterThanOrEqualTo(3);
    assertNotReady("checkpoint_signer");
    assertOneError("checkpoint_signer", org.trailbook.merkle.TreeStoreException.class); // however many retries failed
  }

  @Test
  void anInterruptedIndexerIsRetriedAndEverythingWrittenMeanwhileBecomesSearchable() {
    awaitTrue(() -> server.server().search().lag() == 0);
    PartHealth indexer = server.server().liveness().part("search_indexer");
    Thread thread = indexer.thread();
    thread.interrupt(); // a real fault: its wait for work (or its I/O) throws
    awaitTrue(() -> indexer.failures() == 1);

    for (String id : List.of("a0", "a1", "a2")) promptly(() -> post(acme, id)).expect(201); // the journal is the source of truth
    // the supervisor runs it again on the same thread (before, the thread ended and the index stayed behind until a
    // restart); while it fails /readyz says so (IndexerRecoveryTest holds a fault in place to see it)
    awaitTrue(() -> http.get("/readyz", null).status() == 200);
    assertThat(thread.isAlive()).isTrue();
    assertThat(indexer.state()).isEqualTo(PartHealth.State.RUNNING);
    HttpClientForTests.Response page = promptly(() -> http.get("/v1/events?limit=10", acme)).expect(200);
    assertThat(page.header("Trailbook-Index-Behind")).isNull();
    List<String> ids = new ArrayList<>();
    page.json().get("events").forEach(e -> ids.add(e.get("id").asString()));
    assertThat(ids).containsOnlyOnce("a0", "a1", "a2").doesNotHaveDuplicates(); // (with the workspace's own audit events)
    assertThat(http.get("/healthz", null).expect(200).json().get("status").asString()).isEqualTo("ok");
    assertThat(http.get("/readyz", null).json().get("index_lag").asLong()).isZero();
    assertThat(indexer.failures()).isEqualTo(1);
    assertOneError("search_indexer", InterruptedException.class);
  }

  // ------------------------------------------------------------------ helpers

  private HttpClientForTests.Response post(String key, String id) {
    return http.post("/v1/events", key, "{\"id\":\"" + id + "\",\"action\":\"thing.done\"}");
  }

  private static String events(String prefix, long n) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append("{\"id\":\"").append(prefix).append(i).append("\",\"action\":\"thing.done\"}");
    return b.append(']').toString();
  }

  /** The answer, which must come within {@link #PROMPT}: never a hang. */
  private static HttpClientForTests.Response promptly(java.util.function.Supplier<HttpClientForTests.Response> request) {
    return assertTimeoutPreemptively(PROMPT, request::get);
  }

  private void assertNotLive(String part) {
    HttpClientForTests.Response r = http.get("/healthz", null).expect(503);
    JsonNode health = r.json();
    assertThat(health.get("status").asString()).isEqualTo("unavailable");
    assertThat(parts(health)).containsExactly(part);
    assertThat(health.get("integrity").has("refused_workspaces")).as("the counters stay").isTrue();
    assertNoWorkspaceNames(r.body());
  }

  private void assertNotReady(String part) {
    HttpClientForTests.Response r = http.get("/readyz", null).expect(503);
    assertThat(r.json().get("status").asString()).isEqualTo("not_ready");
    assertThat(parts(r.json())).contains(part);
    assertNoWorkspaceNames(r.body());
    assertNoWorkspaceNames(http.get("/healthz", null).body());
  }

  private static void assertNoWorkspaceNames(String body) {
    assertThat(body).doesNotContain("acme").doesNotContain("beta");
  }

  private static List<String> parts(JsonNode body) {
    List<String> out = new ArrayList<>();
    body.get("reasons").forEach(r -> {
      assertThat(r.get("reason").asString()).isNotBlank();
      out.add(r.get("part").asString());
    });
    return out;
  }

  /** Exactly one ERROR line, naming the part, with the exception (not one per request). */
  private void assertOneError(String part, Class<? extends Throwable> cause) {
    List<ILoggingEvent> lines;
    synchronized (errors) { // the appender adds under its own lock
      lines = errors.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
    }
    assertThat(lines).extracting(ILoggingEvent::getFormattedMessage).hasSize(1);
    assertThat(lines.getFirst().getLoggerName()).isEqualTo(PartHealth.class.getName());
    assertThat(lines.getFirst().getFormattedMessage()).contains("[" + part + "]");
    assertThat(lines.getFirst().getThrowableProxy()).isNotNull();
    assertThat(lines.getFirst().getThrowableProxy().getClassName()).isEqualTo(cause.getName());
  }

  /** The workspace's tree size once a checkpoint covers all of it, so the signer leaves it alone until it grows. */
  private long signedTreeSize(String workspace) {
    long size = server.server().integrity().treeSize(workspace);
    awaitTrue(() -> server.server().integrity().checkpointAt(workspace, size).isPresent());
    return size;
  }

  private void deleteTree(String workspace) throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("tree").resolve(workspace))) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + PROMPT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + PROMPT);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // re-check every few ms
    }
  }
}
