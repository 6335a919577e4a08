package org.trailbook.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.trailbook.event.SecretPlanter;
import org.trailbook.http.HttpClientForTests;
import org.trailbook.server.TestServer;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * End to end: events with secrets planted at random in every capture field ({@link SecretPlanter}, a fixed sample)
 * go through the real server, and no secret reaches the journal files, the search index files (raw bytes, and the
 * search API), the exports (NDJSON, JSON, CSV with every capture column), the API's answers — error answers to bad
 * batches carrying secrets included — or the server's log. A canary value stored on purpose proves each of those
 * places is really looked at.
 */
class SecretsNeverStoredTest {
  @TempDir Path dir;

  /** Collects everything logged while the test runs, as text. */
  static final class Captured extends AppenderBase<ILoggingEvent> {
    final StringBuilder text = new StringBuilder();

    @Override
    protected synchronized void append(ILoggingEvent e) {
      text.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(' ').append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) text.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
    }

    synchronized String all() {
      return text.toString();
    }
  }

  @Test
  void noPlantedSecretReachesDiskIndexExportsAnswersOrLogs() throws IOException {
    LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger trailbook = logs.getLogger("org.trailbook");
    Level before = trailbook.getLevel();
    Captured captured = new Captured();
    captured.setContext(logs);
    captured.start();
    root.addAppender(captured);
    trailbook.setLevel(Level.DEBUG); // the most the server would ever say about a request
    try {
      run(captured);
    } finally {
      root.detachAppender(captured);
      trailbook.setLevel(before);
    }
  }

  private void run(Captured captured) throws IOException {
    Path data = dir.resolve("data");
    List<String> secrets = new ArrayList<>();
    String canary = "canaryzq" + Long.toHexString(new Random(7).nextLong() & Long.MAX_VALUE) + "x";
    String canaryId = "canary-event";
    List<String> answers = new ArrayList<>();
    String key;
    try (TestServer server = TestServer.start(data)) {
      HttpClientForTests http = server.http;
      key = server.workspaceWithKey("acme", "ingest", "read", "export");
      SecretPlanter planter = new SecretPlanter(new Random(20261120L), true);
      for (int batch = 0; batch < 8; batch++) {
        ArrayNode events = tools.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 20; i++) {
          SecretPlanter.Planted p = planter.next(5);
          secrets.addAll(p.secrets());
          events.add(p.event());
        }
        if (batch % 2 == 0) {
          answers.add(http.post("/v1/events", key, events.toString()).expect(201).body());
        } else {
          StringBuilder nd = new StringBuilder();
          events.forEach(e -> nd.append(e).append('\n'));
          answers.add(http.post("/v1/events", key, "application/x-ndjson", nd.toString().getBytes(StandardCharsets.UTF_8)).expect(201).body());
        }
      }
      // bad batches that carry secrets: their error answers (and whatever is logged) must not repeat them
      SecretPlanter.Planted bad = planter.next(5);
      secrets.addAll(bad.secrets());
      ObjectNode invalid = bad.event().deepCopy().put("status", "great");
      answers.add(http.post("/v1/events", key, "[" + invalid + "]").expect(400).body());
      String truncated = bad.event().toString();
      answers.add(http.post("/v1/events", key, truncated.substring(0, truncated.length() - 2)).expect(400).body());
      answers.add(http.post("/v1/events", key, bad.event().put("id", "planted-bad-fixed").toString()).expect(201).body());
      http.post("/v1/events", key, "{\"id\":\"" + canaryId + "\",\"action\":\"canary.stored\",\"metadata\":{\"note\":\"" + canary + "\"}}").expect(201);
      assertThat(secrets).hasSizeGreaterThan(300);

      long size = server.server().integrity().treeSize("acme");
      assertThat(server.server().search().awaitVisible("acme", size, Duration.ofSeconds(30))).isTrue();
      // the index holds no secret as a word (and does hold the canary)
      assertThat(http.get("/v1/events?limit=5&q=" + canary, key).expect(200).body()).contains(canaryId);
      for (String s : secrets) assertThat(http.get("/v1/events?limit=5&q=" + s, key).expect(200).json().get("events")).isEmpty();

      answers.add(http.get("/v1/events?limit=1000", key).expect(200).body());
      answers.add(http.get("/v1/exports/download?format=ndjson", key).expect(200).body());
      answers.add(http.get("/v1/exports/download?format=json&pretty=true", key).expect(200).body());
      String columns = String.join(",", "id", "summary", "http.url", "http.request", "http.response", "resource.url", "webhook", "job",
          "error", "context", "changes", "metadata");
      answers.add(http.get("/v1/exports/download?format=csv&columns=" + URLEncoder.encode(columns, StandardCharsets.UTF_8), key).expect(200).body());
      assertThat(answers.get(answers.size() - 1)).contains(canary);
    }
    String served = String.join("\n", answers);
    String disk = rawBytesUnder(data);
    String index = rawBytesUnder(data.resolve("index"));
    String log = captured.all();
    assertThat(rawBytesUnder(data.resolve("journal"))).contains(canary);
    assertThat(index).contains(tail(canary));
    assertThat(log).contains("org.trailbook"); // the capture saw the server's own lines
    for (String s : secrets) {
      assertThat(served).as("an API answer holds secret %s", s).doesNotContain(s);
      assertThat(disk).as("the data directory holds secret %s", s).doesNotContain(s);
      assertThat(index).as("the index holds secret %s", s).doesNotContain(tail(s));
      assertThat(log).as("the log holds secret %s", s).doesNotContain(s);
    }
  }

  /**
   * The end of a value: the index stores words lower-cased and its term dictionary shares prefixes between
   * neighbouring terms, so a leaked secret would show as (at least) its last characters.
   */
  private static String tail(String s) {
    return s.substring(s.length() - 12).toLowerCase(java.util.Locale.ROOT);
  }

  /** Every file under {@code root}, concatenated as bytes (ISO-8859-1 keeps every byte as one char). */
  private static String rawBytesUnder(Path root) throws IOException {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) b.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).append('\n');
    }
    return b.toString();
  }
}
