package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.export.ExportConfig;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;

/**
 * Keys that cannot ingest still cause log writes: every export appends {@code audit_log.exported},
 * every viewer token can become a recorded sign-in. Both are bounded per workspace, so a narrow key
 * cannot write the log without bound: downloads and jobs share the hourly export allowance (3 here),
 * and viewer tokens are minted at most 60 at once, then one a second.
 */
class LogWriteBoundsTest {
  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(ServerConfig.fromEnvironment(Map.of()).withDataDir(dir).withExports(ExportConfig.DEFAULTS.withJobsPerHour(3)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void directDownloadsAndJobsShareTheHourlyExportLimit() {
    String key = server.workspaceWithKey("dl", "ingest", "export");
    server.http.post("/v1/events", key, "{\"action\":\"invoice.paid\"}").expect(201);
    String exportOnly = server.key("dl", "export");
    server.http.get("/v1/exports/download?format=ndjson", exportOnly).expect(200);
    server.http.get("/v1/exports/download?format=csv", exportOnly).expect(200);
    server.http.post("/v1/exports", exportOnly, "{\"format\":\"ndjson\"}").expect(202);
    for (var limited : new HttpClientForTests.Response[] {
        server.http.get("/v1/exports/download?format=ndjson", exportOnly).expect(429),
        server.http.post("/v1/exports", exportOnly, "{\"format\":\"ndjson\"}").expect(429)}) {
      assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(3500, 3600);
      JsonNode error = limited.json().get("error");
      assertThat(error.get("code").asString()).isEqualTo("too_many_exports");
      assertThat(error.get("message").asString()).contains("the limit is 3 per workspace per hour").contains("direct downloads").contains("export jobs");
    }
    // another workspace has its own allowance
    String other = server.workspaceWithKey("dl-other", "ingest", "export");
    server.http.post("/v1/events", other, "{\"action\":\"invoice.paid\"}").expect(201);
    server.http.get("/v1/exports/download?format=ndjson", other).expect(200);
  }

  @Test
  void viewerTokensPerWorkspaceAreBounded() {
    String admin = server.workspaceWithKey("mint", "admin");
    String body = "{\"actor\":{\"id\":\"u_1\"},\"role\":\"owner\",\"ttl_seconds\":600}";
    int minted = 0;
    HttpClientForTests.Response r;
    while ((r = server.http.post("/v1/viewer-tokens", admin, body)).status() == 201 && minted < 1000) minted++;
    assertThat(minted).isBetween(UiRoutes.MINTS_BURST, UiRoutes.MINTS_BURST + 5);
    r.expect(429);
    assertThat(r.header("Retry-After")).isNotNull();
    assertThat(r.json().at("/error/message").asString()).contains("viewer tokens").contains("60 at once");
  }
}
