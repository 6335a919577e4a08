package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/** The served OpenAPI document describes exactly the routes the server really has. */
class OpenApiTest {
  @TempDir Path dir;

  @Test
  void documentsEveryServedRouteAndNothingElse() {
    try (TestServer server = TestServer.start(dir)) {
      JsonNode doc = server.http.get("/openapi.json", null).expect(200).json();
      assertThat(doc.get("openapi").asString()).startsWith("3.");
      Set<ApiRoutes.Route> documented = new HashSet<>();
      doc.get("paths").properties().forEach(path ->
          path.getValue().properties().forEach(op -> documented.add(new ApiRoutes.Route(op.getKey(), path.getKey()))));
      assertThat(documented).containsExactlyInAnyOrderElementsOf(server.server().http().routes());
    }
  }

  @Test
  void everyDocumentedRouteAnswersOtherThanNotFound() {
    try (TestServer server = TestServer.start(dir)) {
      JsonNode doc = server.http.get("/openapi.json", null).json();
      doc.get("paths").properties().forEach(path -> {
        // a page file must name one that exists; every other parameter can be anything
        String concrete = path.getKey().equals("/ui/assets/{file}") ? "/ui/assets/app.js" : path.getKey().replaceAll("\\{[^}]+}", "x");
        path.getValue().properties().forEach(op -> {
          HttpClientForTests.Response r = switch (op.getKey()) {
            case "get" -> server.http.get(concrete, null);
            case "post" -> server.http.post(concrete, null, "{}");
            case "put" -> server.http.put(concrete, null, "{}");
            case "delete" -> server.http.delete(concrete, null);
            default -> throw new AssertionError(op.getKey());
          };
          // without a credential a real route answers 401 (or 200 for the open ones), never "no such endpoint"
          assertThat(r.status()).as(op.getKey() + " " + path.getKey()).isIn(200, 401);
        });
      });
    }
  }
}
