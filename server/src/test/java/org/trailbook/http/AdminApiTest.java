package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import org.trailbook.server.TrailbookServer;
import tools.jackson.databind.JsonNode;

class AdminApiTest {
  @TempDir Path dir;
  TestServer server;
  HttpClientForTests http;
  static final String ADMIN = TestServer.ADMIN_KEY;

  @BeforeEach
  void start() {
    server = TestServer.start(dir);
    http = server.http;
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void createsAWorkspaceOnceAndRefusesTheSameIdAgain() {
    JsonNode w = http.post("/v1/workspaces", ADMIN, "{\"id\":\"acme\",\"name\":\"Acme Inc\"}").expect(201).json();
    assertThat(w.get("id").asString()).isEqualTo("acme");
    assertThat(w.get("name").asString()).isEqualTo("Acme Inc");
    assertThat(http.post("/v1/workspaces", ADMIN, "{\"id\":\"acme\"}").expect(409).json().get("error").get("code").asString()).isEqualTo("conflict");
    assertThat(http.get("/v1/workspaces", ADMIN).expect(200).json().get("workspaces")).hasSize(1);
  }

  @Test
  void refusesInvalidWorkspaceIdsNamingTheRule() {
    for (String bad : new String[] {"Acme", "-acme", "a_b", "x".repeat(64), ""}) {
      JsonNode d = http.post("/v1/workspaces", ADMIN, "{\"id\":\"" + bad + "\"}").expect(400).json().get("error").get("details").get(0);
      assertThat(d.get("field").asString()).isEqualTo("id");
      assertThat(d.get("problem").asString()).contains("[a-z0-9][a-z0-9-]{0,62}");
    }
    http.post("/v1/workspaces", ADMIN, "{\"name\":\"no id\"}").expect(400);
    http.post("/v1/workspaces", ADMIN, "[1]").expect(400);
  }

  @Test
  void showsAKeySecretOnceAndStoresOnlyItsHash() throws IOException {
    http.post("/v1/workspaces", ADMIN, "{\"id\":\"acme\"}").expect(201);
    JsonNode k = http.post("/v1/workspaces/acme/keys", ADMIN, "{\"name\":\"backend\",\"scopes\":[\"ingest\",\"read\",\"export\",\"admin\"]}").expect(201).json();
    String secret = k.get("key").asString();
    assertThat(secret).startsWith("tbk_");
    assertThat(k.get("scopes")).extracting(JsonNode::asString).containsExactly("ingest", "read", "export", "admin");
    String listed = http.get("/v1/workspaces/acme/keys", ADMIN).expect(200).body();
    assertThat(listed).contains(k.get("id").asString()).doesNotContain(secret);
    assertThat(Files.readString(dir.resolve("access/state.json"))).doesNotContain(secret).doesNotContain(ADMIN);
  }

  @Test
  void refusesUnknownScopesNamingTheEntry() {
    http.post("/v1/workspaces", ADMIN, "{\"id\":\"acme\"}").expect(201);
    JsonNode d = http.post("/v1/workspaces/acme/keys", ADMIN, "{\"name\":\"k\",\"scopes\":[\"read\",\"root\"]}").expect(400).json().get("error").get("details").get(0);
    assertThat(d.get("field").asString()).isEqualTo("scopes[1]");
    http.post("/v1/workspaces/nope/keys", ADMIN, "{\"name\":\"k\",\"scopes\":[\"read\"]}").expect(404);
  }

  @Test
  void recordsKeyCreationAndRevocationInTheWorkspaceLog() {
    String reader = server.workspaceWithKey("acme", "read", "admin");
    JsonNode k = http.post("/v1/workspaces/acme/keys", ADMIN, "{\"name\":\"ci\",\"scopes\":[\"ingest\"]}").expect(201).json();
    http.delete("/v1/workspaces/acme/keys/" + k.get("id").asString(), ADMIN).expect(200);
    JsonNode events = http.get("/v1/events?limit=100", reader).expect(200).json().get("events");
    assertThat(events).extracting(e -> e.get("action").asString())
        .containsSubsequence("audit_log.key_revoked", "audit_log.key_created");
    JsonNode revoked = events.get(0);
    assertThat(revoked.get("category").asString()).isEqualTo("audit_log");
    assertThat(revoked.get("resource").get("id").asString()).isEqualTo(k.get("id").asString());
    assertThat(revoked.get("layer").asString()).isEqualTo("platform");
    assertThat(revoked.get("summary").asString()).isEqualTo("Platform admin revoked API key \"ci\"");
    assertThat(events.get(1).get("summary").asString()).isEqualTo("Platform admin created API key \"ci\" (ingest)");
  }

  @Test
  void anAdminScopedKeyManagesKeysOfItsOwnWorkspaceOnly() {
    String acmeAdmin = server.workspaceWithKey("acme", "admin");
    server.workspaceWithKey("globex", "read");
    http.post("/v1/workspaces/acme/keys", acmeAdmin, "{\"name\":\"k\",\"scopes\":[\"read\"]}").expect(201);
    http.post("/v1/workspaces/globex/keys", acmeAdmin, "{\"name\":\"k\",\"scopes\":[\"read\"]}").expect(403);
    http.post("/v1/workspaces", acmeAdmin, "{\"id\":\"mine\"}").expect(403);
    String reader = server.key("acme", "read");
    http.post("/v1/workspaces/acme/keys", reader, "{\"name\":\"k\",\"scopes\":[\"read\"]}").expect(403);
  }

  @Test
  void generatesAndShowsAnAdminKeyOnlyOnTheFirstStartOfADataDirectory(@TempDir Path fresh) {
    ServerConfig cfg = ServerConfig.fromEnvironment(Map.of()).withDataDir(fresh).withHost("127.0.0.1").withPort(0);
    String generated;
    try (TrailbookServer first = TrailbookServer.start(cfg)) {
      generated = first.generatedAdminKey().orElseThrow();
      HttpClientForTests c = new HttpClientForTests("http://127.0.0.1:" + first.port());
      c.post("/v1/workspaces", generated, "{\"id\":\"acme\"}").expect(201);
    }
    try (TrailbookServer second = TrailbookServer.start(cfg)) {
      assertThat(second.generatedAdminKey()).isEmpty();
      HttpClientForTests c = new HttpClientForTests("http://127.0.0.1:" + second.port());
      c.get("/v1/workspaces", generated).expect(200);
    }
  }

  @Test
  void refusesASecondServerOnTheSameDataDirectory() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestServer.start(dir))
        .hasMessageContaining("in use by another Trailbook process");
  }
}
