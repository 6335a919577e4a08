package org.trailbook.server;

import java.nio.file.Path;
import java.util.Map;
import org.trailbook.Json;
import org.trailbook.http.HttpClientForTests;
import tools.jackson.databind.JsonNode;

/** A real server on a random port over a temporary data directory, with a known admin key. */
public final class TestServer implements AutoCloseable {
  public static final String ADMIN_KEY = "tba_test_admin_key_for_tests_only";
  private final TrailbookServer server;
  public final HttpClientForTests http;

  private TestServer(TrailbookServer server) {
    this.server = server;
    this.http = new HttpClientForTests("http://127.0.0.1:" + server.port());
  }

  public static TestServer start(Path dir) {
    return start(ServerConfig.fromEnvironment(Map.of()).withDataDir(dir));
  }

  public static TestServer start(ServerConfig config) {
    return start(config, org.trailbook.ui.UiConfig.DEFAULTS);
  }

  /** With the web page's settings (resource link templates, public URL). */
  public static TestServer start(ServerConfig config, org.trailbook.ui.UiConfig ui) {
    return new TestServer(TrailbookServer.start(forTests(config), ui));
  }

  /** With a fixed or controlled clock, so time presets and receive times are known to the test. */
  public static TestServer start(Path dir, java.time.Clock clock) {
    ServerConfig config = ServerConfig.fromEnvironment(Map.of()).withDataDir(dir);
    return new TestServer(TrailbookServer.start(forTests(config), clock));
  }

  /** With the given settings and a fixed or controlled clock. */
  public static TestServer start(ServerConfig config, java.time.Clock clock) {
    return new TestServer(TrailbookServer.start(forTests(config), clock));
  }

  /**
   * Loopback, any port, the known admin key, and a short drain: these tests close servers while the test's HTTP
   * client still holds idle keep-alive connections, which a stop would otherwise wait out (the drain itself is
   * tested against a real process in GracefulStopTest).
   */
  private static ServerConfig forTests(ServerConfig config) {
    return config.withHost("127.0.0.1").withPort(0).withAdminKey(ADMIN_KEY).withShutdownTimeout(java.time.Duration.ofMillis(100));
  }

  public TrailbookServer server() {
    return server;
  }

  /** Creates a workspace and returns a key for it with the given scopes. */
  public String workspaceWithKey(String workspace, String... scopes) {
    http.post("/v1/workspaces", ADMIN_KEY, "{\"id\":\"" + workspace + "\"}").expect(201);
    return key(workspace, scopes);
  }

  public String key(String workspace, String... scopes) {
    String body = Json.MAPPER.createObjectNode().put("name", "test").set("scopes", Json.MAPPER.valueToTree(scopes)).toString();
    JsonNode created = http.post("/v1/workspaces/" + workspace + "/keys", ADMIN_KEY, body).expect(201).json();
    return created.get("key").asString();
  }

  @Override
  public void close() {
    server.close();
  }
}
