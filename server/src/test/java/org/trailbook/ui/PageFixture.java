package org.trailbook.ui;

import java.nio.file.Path;
import org.trailbook.Json;
import org.trailbook.http.HttpClientForTests;
import org.trailbook.server.TestServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A real server with workspace {@code acme}, an admin/ingest/read/export key, and viewer tokens on demand. */
public final class PageFixture implements AutoCloseable {
  public static final String WS = "acme";
  public final TestServer server;
  public final HttpClientForTests http;
  public final String key;
  public final String base;

  public PageFixture(Path dir) {
    this(dir, UiConfig.DEFAULTS);
  }

  /** With the web page's settings, e.g. resource link templates. */
  public PageFixture(Path dir, UiConfig ui) {
    server = TestServer.start(org.trailbook.server.ServerConfig.fromEnvironment(java.util.Map.of()).withDataDir(dir), ui);
    http = server.http;
    key = server.workspaceWithKey(WS, "ingest", "read", "export", "admin");
    base = "http://127.0.0.1:" + server.server().port();
  }

  /** With server settings from {@code env} (as environment variables) and the server's clock. */
  public PageFixture(Path dir, java.util.Map<String, String> env, java.time.Clock clock) {
    server = TestServer.start(org.trailbook.server.ServerConfig.fromEnvironment(env).withDataDir(dir), clock);
    http = server.http;
    key = server.workspaceWithKey(WS, "ingest", "read", "export", "admin");
    base = "http://127.0.0.1:" + server.server().port();
  }

  /** Mints a viewer token through the API, as a host application would, and returns its login URL. */
  public String loginUrl(String personId, String name, String role) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.putObject("actor").put("id", personId).put("email", personId + "@acme.example").put("name", name);
    body.put("role", role).put("ttl_seconds", 600);
    return http.post("/v1/viewer-tokens", key, body.toString()).expect(201).json().get("url").asString();
  }

  public void ingest(String json) {
    http.post("/v1/events", key, json).expect(201);
  }

  /**
   * Waits until the search index has caught up with the log (no {@code Trailbook-Index-Behind}
   * header); each request itself waits up to a second for the index, so this loop does not spin.
   */
  public void awaitIndex(String apiKey) {
    for (int i = 0; i < 60; i++) {
      if (http.get("/v1/events?limit=1", apiKey).expect(200).header("Trailbook-Index-Behind") == null) return;
    }
    throw new AssertionError("the search index did not catch up with the log within a minute");
  }

  public JsonNode get(String path) {
    return http.get(path, key).expect(200).json();
  }

  @Override
  public void close() {
    server.close();
  }
}
