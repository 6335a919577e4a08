package org.trailbook.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

class DemoDataTest {
  @TempDir Path dir;

  private static String keyIn(String printed) {
    Matcher m = Pattern.compile("key \\(ingest, read, export, admin\\): (tbk_\\S+)").matcher(printed);
    assertThat(m.find()).as(printed).isTrue();
    return m.group(1);
  }

  @Test
  void fillsTheDemoWorkspaceOnceWithGeneratedEventsThatAllPassValidation() {
    String key;
    try (TestServer server = TestServer.start(dir)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      DemoData.load(server.server(), 1500, "http://x", new PrintStream(out, true, StandardCharsets.UTF_8));
      key = keyIn(out.toString(StandardCharsets.UTF_8));
      awaitIndexed(server);
      JsonNode page = server.http.get("/v1/events?limit=1000", key).expect(200).json();
      Set<String> types = new HashSet<>();
      page.get("events").forEach(e -> types.add(e.get("type").asString()));
      assertThat(types).contains("api_call", "user_action", "webhook_delivery", "auth");
      long generated = countGenerated(server, key);
      assertThat(generated).isEqualTo(1500);

    }
    // a restart keeps the data and prints the same demo key, which still works
    try (TestServer server = TestServer.start(dir)) {
      ByteArrayOutputStream again = new ByteArrayOutputStream();
      DemoData.load(server.server(), 1500, "http://x", new PrintStream(again, true, StandardCharsets.UTF_8));
      assertThat(again.toString(StandardCharsets.UTF_8)).doesNotContain("filled with");
      awaitIndexed(server);
      assertThat(keyIn(again.toString(StandardCharsets.UTF_8))).isEqualTo(key);
      assertThat(countGenerated(server, key)).isEqualTo(1500);
      assertThat(server.server().access().keys(DemoData.WORKSPACE)).hasSize(1);
    }
    assertThat(dir.resolve("access/state.json")).content().doesNotContain(key);
  }

  @Test
  void aRevokedDemoKeyIsMadeAgainOnTheNextStart() {
    String key;
    try (TestServer server = TestServer.start(dir)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      DemoData.load(server.server(), 50, "http://x", new PrintStream(out, true, StandardCharsets.UTF_8));
      key = keyIn(out.toString(StandardCharsets.UTF_8));
      String id = server.server().access().keys(DemoData.WORKSPACE).getFirst().id();
      server.http.delete("/v1/workspaces/demo/keys/" + id, TestServer.ADMIN_KEY).expect(200);
      server.http.get("/v1/events", key).expect(401);
      ByteArrayOutputStream again = new ByteArrayOutputStream();
      DemoData.load(server.server(), 50, "http://x", new PrintStream(again, true, StandardCharsets.UTF_8));
      // the revoked key stays refused; the next start prints another one that works
      String next = keyIn(again.toString(StandardCharsets.UTF_8));
      assertThat(next).isNotEqualTo(key);
      server.http.get("/v1/events", key).expect(401);
      server.http.get("/v1/events", next).expect(200);
    }
  }

  /** The feed reads the search index, which follows the journal a moment behind. */
  private static void awaitIndexed(TestServer server) {
    long size = server.server().integrity().treeSize(DemoData.WORKSPACE);
    assertThat(server.server().search().awaitVisible(DemoData.WORKSPACE, size, java.time.Duration.ofSeconds(30))).isTrue();
  }

  private static long countGenerated(TestServer server, String key) {
    long n = 0;
    String cursor = null;
    do {
      JsonNode page = server.http.get("/v1/events?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor), key).expect(200).json();
      for (JsonNode e : page.get("events")) if (e.get("id").asString().startsWith("evt-")) n++;
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
    } while (cursor != null);
    return n;
  }
}
