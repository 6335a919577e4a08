package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.server.TestServer;
import org.trailbook.ui.ViewerTokens;
import tools.jackson.databind.JsonNode;

/**
 * A GET is a GET: no header or parameter turns one method into another. (Javalin's router takes
 * the method from {@code X-HTTP-Method-Override} when it is sent, so the server refuses it.)
 */
class MethodOverrideTest {
  static final String[] HEADERS = {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"};
  @TempDir Path dir;
  TestServer server;
  String admin;
  String base;

  @BeforeEach
  void start() {
    server = TestServer.start(dir);
    admin = server.workspaceWithKey("acme", "ingest", "read", "admin");
    base = "http://127.0.0.1:" + server.server().port();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> send(String method, String path, String contentType, String body, String... headers) {
    return PlainHttp.send(base + path, method, contentType, body, headers);
  }

  private boolean revoked(String keyId) {
    for (JsonNode k : server.http.get("/v1/workspaces/acme/keys", TestServer.ADMIN_KEY).expect(200).json().get("keys")) {
      if (k.get("id").asString().equals(keyId)) return k.has("revoked_at");
    }
    throw new AssertionError("no key " + keyId);
  }

  @Test
  void aGetWithAnOverrideHeaderNeverRevokesAKey() {
    String victim = server.http.post("/v1/workspaces/acme/keys", TestServer.ADMIN_KEY, "{\"name\":\"victim\",\"scopes\":[\"read\"]}")
        .expect(201).json().get("id").asString();
    for (String header : HEADERS) {
      for (String value : new String[] {"DELETE", "delete"}) {
        HttpResponse<String> r = send("GET", "/v1/workspaces/acme/keys/" + victim, null, null,
            "Authorization", "Bearer " + TestServer.ADMIN_KEY, header, value);
        assertThat(r.statusCode()).as(header + ": " + value).isEqualTo(400);
        assertThat(r.body()).contains("method_override_refused").contains(header);
        assertThat(revoked(victim)).as("revoked by GET with " + header).isFalse();
      }
    }
    HttpResponse<String> param = send("GET", "/v1/workspaces/acme/keys/" + victim + "?_method=DELETE", null, null,
        "Authorization", "Bearer " + TestServer.ADMIN_KEY);
    assertThat(param.statusCode()).isEqualTo(400);
    assertThat(param.body()).contains("_method");
    assertThat(revoked(victim)).isFalse();
    // the real method still works
    server.http.delete("/v1/workspaces/acme/keys/" + victim, TestServer.ADMIN_KEY).expect(200);
    assertThat(revoked(victim)).isTrue();
  }

  @Test
  void aPostWithAnOverrideHeaderIsNeverServedAsAGet() {
    for (String header : HEADERS) {
      HttpResponse<String> r = send("POST", "/v1/workspaces/acme/keys", "application/json", "{\"name\":\"x\",\"scopes\":[\"read\"]}",
          "Authorization", "Bearer " + TestServer.ADMIN_KEY, header, "GET");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).doesNotContain("\"keys\"");
    }
    // a form field _method is just a field of a body this endpoint does not accept
    HttpResponse<String> form = send("POST", "/v1/workspaces/acme/keys", "application/x-www-form-urlencoded", "_method=GET",
        "Authorization", "Bearer " + TestServer.ADMIN_KEY);
    assertThat(form.statusCode()).isEqualTo(415);
    assertThat(form.body()).doesNotContain("\"keys\"");
  }

  @Test
  void aPageSessionCannotDodgeTheCsrfCheckByCallingAPostAGet() {
    String token = server.http.post("/v1/viewer-tokens", admin, "{\"actor\":{\"id\":\"u_1\"},\"role\":\"owner\"}").expect(201).json().get("token").asString();
    HttpResponse<String> login = send("GET", "/ui/login?token=" + token, null, null);
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    // without the CSRF header a cookie POST is refused; calling it a GET must not help
    HttpResponse<String> r = send("POST", "/v1/views", "application/json", "{\"name\":\"v\",\"query\":\"\"}",
        "Cookie", cookie, "X-HTTP-Method-Override", "GET");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(send("GET", "/v1/views", null, null, "Cookie", cookie).body()).doesNotContain("\"name\":\"v\"");
    assertThat(cookie).startsWith(ViewerTokens.COOKIE + "=");
  }
}
