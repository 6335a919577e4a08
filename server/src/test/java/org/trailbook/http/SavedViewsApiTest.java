package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/** {@code /v1/views}: per workspace and owner, validated, persisted across restarts. */
class SavedViewsApiTest {
  @TempDir Path dir;

  @Test
  void createsListsAndDeletesOnlyTheCallersViewsAndKeepsThemAcrossARestart() {
    String a;
    String id;
    try (TestServer server = TestServer.start(dir)) {
      a = server.workspaceWithKey("acme", "read");
      String b = server.key("acme", "read");
      String other = server.workspaceWithKey("globex", "read");
      JsonNode v = server.http.post("/v1/views", a, "{\"name\":\"  Failed logins \",\"query\":\"category=auth&status=failure\"}").expect(201).json();
      id = v.get("id").asString();
      assertThat(v.get("name").asString()).isEqualTo("Failed logins");
      assertThat(v.get("query").asString()).isEqualTo("category=auth&status=failure");
      assertThat(server.http.get("/v1/views", a).expect(200).json().get("views")).hasSize(1);
      // another owner in the workspace, and another workspace, see nothing and delete nothing
      assertThat(server.http.get("/v1/views", b).expect(200).json().get("views")).isEmpty();
      assertThat(server.http.get("/v1/views", other).expect(200).json().get("views")).isEmpty();
      server.http.delete("/v1/views/" + id, b).expect(404);
      server.http.delete("/v1/views/" + id, other).expect(404);
      server.http.post("/v1/views", a, "{\"name\":\"Failed logins\",\"query\":\"\"}").expect(409);
      server.http.get("/v1/views", null).expect(401);
    }
    try (TestServer server = TestServer.start(dir)) {
      JsonNode views = server.http.get("/v1/views", a).expect(200).json().get("views");
      assertThat(views).extracting(v -> v.get("id").asString()).containsExactly(id);
      server.http.delete("/v1/views/" + id, a).expect(204);
      assertThat(server.http.get("/v1/views", a).expect(200).json().get("views")).isEmpty();
      server.http.delete("/v1/views/" + id, a).expect(404);
    }
  }

  @Test
  void invalidViewsNameTheFieldAndTheRule() {
    try (TestServer server = TestServer.start(dir)) {
      String a = server.workspaceWithKey("acme", "read");
      JsonNode e = server.http.post("/v1/views", a, "{\"name\":\"\",\"query\":\"" + "x".repeat(2001) + "\"}").expect(400).json();
      assertThat(e.get("error").get("details")).extracting(d -> d.get("field").asString() + ": " + d.get("problem").asString())
          .containsExactlyInAnyOrder("name: is required, 1 to 100 characters", "query: must be at most 2000 characters");
      JsonNode q = server.http.post("/v1/views", a, "{\"name\":\"n\",\"query\":\"?a=b\"}").expect(400).json();
      assertThat(q.get("error").get("details").get(0).get("problem").asString()).isEqualTo("must be a query string without '?' or '#'");
      server.http.post("/v1/views", a, "{\"name\":\"n\"}").expect(400);
      server.http.post("/v1/views", a, "{\"name\":5,\"query\":\"\"}").expect(400);
      for (int i = 0; i < 50; i++) server.http.post("/v1/views", a, "{\"name\":\"v" + i + "\",\"query\":\"\"}").expect(201);
      JsonNode full = server.http.post("/v1/views", a, "{\"name\":\"one more\",\"query\":\"\"}").expect(400).json();
      assertThat(full.toString()).contains("at most 50 saved views per person");
    }
  }
}
