package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.access.Person;
import org.trailbook.server.TestServer;
import org.trailbook.ui.ViewerSecret;
import org.trailbook.ui.ViewerTokens;
import tools.jackson.databind.JsonNode;

/** Viewer tokens and the session cookie over real HTTP: minting, signing, expiry, roles, binding, cookie flags, CSRF. */
class ViewerTokenApiTest {
  @TempDir Path dir;
  TestServer server;
  HttpClientForTests http;
  String admin;
  String base;

  @BeforeEach
  void start() {
    server = TestServer.start(dir);
    http = server.http;
    admin = server.workspaceWithKey("acme", "ingest", "read", "admin");
    base = "http://127.0.0.1:" + server.server().port();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private JsonNode mint(String key, String role) {
    return http.post("/v1/viewer-tokens", key, "{\"actor\":{\"id\":\"u_1\",\"email\":\"ana@acme.example\",\"name\":\"Ana\"},\"role\":\"" + role + "\",\"ttl_seconds\":600}")
        .expect(201).json();
  }

  private HttpResponse<String> send(String method, String path, String cookie, String... headers) {
    boolean get = method.equals("GET");
    return PlainHttp.send(base + path, method, get ? null : "application/json", get ? null : "{\"name\":\"v\",\"query\":\"range=24h\"}",
        PlainHttp.withCookie(cookie, headers));
  }

  /** Signs in with a fresh token and returns the session cookie's value. */
  private String signIn(String role) {
    String token = mint(admin, role).get("token").asString();
    return PlainHttp.sessionCookie(send("GET", "/ui/login?token=" + token, null));
  }

  @Test
  void mintingNeedsAnAdminKeyOfTheWorkspace() {
    String reader = server.key("acme", "read", "ingest");
    http.post("/v1/viewer-tokens", null, "{\"actor\":{\"id\":\"u\"},\"role\":\"owner\"}").expect(401);
    http.post("/v1/viewer-tokens", reader, "{\"actor\":{\"id\":\"u\"},\"role\":\"owner\"}").expect(403);
    http.post("/v1/viewer-tokens", TestServer.ADMIN_KEY, "{\"actor\":{\"id\":\"u\"},\"role\":\"owner\"}").expect(403);
    JsonNode t = mint(admin, "owner");
    assertThat(t.get("url").asString()).isEqualTo(base + "/ui/login?token=" + t.get("token").asString());
    assertThat(Instant.parse(t.get("expires_at").asString())).isBetween(Instant.now().plusSeconds(590), Instant.now().plusSeconds(610));
  }

  @Test
  void badRequestsNameTheFieldAndTheRule() {
    JsonNode e = http.post("/v1/viewer-tokens", admin, "{\"actor\":{\"email\":\"not-an-email\"},\"role\":\"boss\",\"ttl_seconds\":90000}").expect(400).json();
    assertThat(e.get("error").get("details")).extracting(d -> d.get("field").asString() + ": " + d.get("problem").asString())
        .containsExactlyInAnyOrder("actor.id: is required, 1 to 128 characters", "actor.email: must be an email address of at most 254 characters",
            "role: must be one of owner, admin, agent, viewer", "ttl_seconds: must be from 30 to 86400 seconds");
    http.post("/v1/viewer-tokens", admin, "{\"actor\":{\"id\":\"u\"},\"role\":\"owner\",\"ttl_seconds\":0}").expect(400);
    http.post("/v1/viewer-tokens", admin, "{\"actor\":{\"id\":7},\"role\":\"owner\"}").expect(400);
  }

  @Test
  void signingInSetsAStrictHttpOnlyCookieAndRecordsTheSignIn() {
    String token = mint(admin, "admin").get("token").asString();
    HttpResponse<String> r = send("GET", "/ui/login?token=" + token, null, "User-Agent", "TestBrowser/1.0");
    assertThat(r.statusCode()).isEqualTo(200);
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).startsWith("tb_session=tbs2.").contains("; Path=/", "; HttpOnly", "; SameSite=Strict", "; Max-Age=28800").doesNotContain("Secure");
    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'").doesNotContain("unsafe-inline");
    assertThat(r.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    assertThat(r.body()).contains("url=/ui/");

    JsonNode signIn = http.get("/v1/events?limit=1", admin).expect(200).json().get("events").get(0);
    assertThat(signIn.get("type").asString()).isEqualTo("security");
    assertThat(signIn.get("action").asString()).isEqualTo("audit_log.viewer_signed_in");
    assertThat(signIn.get("category").asString()).isEqualTo("audit_log");
    assertThat(signIn.get("actor").get("id").asString()).isEqualTo("u_1");
    assertThat(signIn.get("actor").get("email").asString()).isEqualTo("ana@acme.example");
    assertThat(signIn.get("context").get("user_agent").asString()).isEqualTo("TestBrowser/1.0");
    assertThat(signIn.get("metadata").get("role").asString()).isEqualTo("admin");
  }

  @Test
  void theCookieReadsItsOwnWorkspaceOnlyAndCannotWrite() {
    String other = server.workspaceWithKey("globex", "ingest", "read");
    http.post("/v1/events", other, "{\"id\":\"globex-secret\",\"action\":\"x.created\"}").expect(201);
    http.post("/v1/events", admin, "{\"id\":\"acme-1\",\"action\":\"x.created\"}").expect(201);
    String cookie = signIn("owner");
    HttpResponse<String> page = send("GET", "/v1/events?limit=100", cookie);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("acme-1").doesNotContain("globex-secret");
    assertThat(send("GET", "/v1/events/globex-secret", cookie).statusCode()).isEqualTo(404);
    assertThat(send("GET", "/v1/ui/config", cookie).body()).contains("\"workspace\":\"acme\"").contains("\"id\":\"u_1\"");
    // read and export only: no ingest, no admin
    assertThat(send("POST", "/v1/events", cookie, "X-Trailbook-CSRF", "1").statusCode()).isEqualTo(403);
    assertThat(send("POST", "/v1/viewer-tokens", cookie, "X-Trailbook-CSRF", "1").statusCode()).isEqualTo(403);
    assertThat(send("GET", "/ui/", cookie).statusCode()).isEqualTo(200);
  }

  @Test
  void forgedAlteredExpiredAndReusedTokensAreRefused() throws IOException {
    String token = mint(admin, "owner").get("token").asString();
    String[] parts = token.split("\\.");
    // the claims changed to another workspace, with the old signature
    String otherWs = new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("\"ws\":\"acme\"", "\"ws\":\"globex\"");
    String altered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(otherWs.getBytes()) + "." + parts[2];
    HttpResponse<String> r = send("GET", "/ui/login?token=" + altered, null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("This sign-in link is not valid");
    assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(send("GET", "/ui/login?token=garbage", null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/ui/login", null).statusCode()).isEqualTo(401);

    // signed with another secret: not issued by this server
    ViewerTokens stranger = new ViewerTokens(new byte[32], Clock.systemUTC());
    assertThat(send("GET", "/ui/login?token=" + stranger.mint("acme", new Person("u", null, null), "owner", 600, "key_x"), null).body()).contains("not valid");

    // signed with this server's secret but already expired
    byte[] secret = ViewerSecret.loadOrCreate(dir.resolve("keys"));
    ViewerTokens past = new ViewerTokens(secret, Clock.fixed(Instant.now().minusSeconds(3600), ZoneOffset.UTC));
    HttpResponse<String> expired = send("GET", "/ui/login?token=" + past.mint("acme", new Person("u", null, null), "owner", 600, "key_x"), null);
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(expired.body()).contains("This sign-in link has expired");

    assertThat(send("GET", "/ui/login?token=" + token, null).statusCode()).isEqualTo(200);
    HttpResponse<String> again = send("GET", "/ui/login?token=" + token, null);
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(again.body()).contains("already used");

    // a token is not a session cookie
    assertThat(send("GET", "/v1/events", mint(admin, "owner").get("token").asString()).statusCode()).isEqualTo(401);
    // a validly signed cookie naming no session the server holds
    String noSession = past.cookieValue("ses_unknown", "secret");
    assertThat(send("GET", "/v1/events", noSession).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/ui/", noSession).body()).contains("Sign in through your application");
  }

  @Test
  void agentsAndViewersGetARefusalPageNoCookieAndNoApiAccess() {
    for (String role : new String[] {"agent", "viewer"}) {
      HttpResponse<String> r = send("GET", "/ui/login?token=" + mint(admin, role).get("token").asString(), null);
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).contains("Only Admins and Owners can open the Activity Log").contains(role);
      assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
    }
    JsonNode refused = http.get("/v1/events?limit=1", admin).expect(200).json().get("events").get(0);
    assertThat(refused.get("action").asString()).isEqualTo("audit_log.viewer_access_refused");
    assertThat(refused.get("status").asString()).isEqualTo("failure");
    // no session was opened for them: even a validly signed cookie grants nothing
    ViewerTokens tokens = server.server().viewerTokens();
    assertThat(server.server().sessions().list("acme")).isEmpty();
    String agentCookie = tokens.cookieValue("ses_agent", "secret");
    assertThat(send("GET", "/v1/events", agentCookie).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/ui/", agentCookie).statusCode()).isEqualTo(401);
  }

  @Test
  void stateChangingCookieRequestsNeedTheCsrfHeaderAndOurOrigin() {
    String cookie = signIn("owner");
    HttpResponse<String> noHeader = send("POST", "/v1/views", cookie);
    assertThat(noHeader.statusCode()).isEqualTo(403);
    assertThat(noHeader.body()).contains("X-Trailbook-CSRF");
    HttpResponse<String> crossSite = send("POST", "/v1/views", cookie, "X-Trailbook-CSRF", "1", "Origin", "https://evil.example");
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(crossSite.body()).contains("evil.example");
    assertThat(send("POST", "/v1/views", cookie, "X-Trailbook-CSRF", "1", "Origin", base).statusCode()).isEqualTo(201);
    // reads need no header
    assertThat(send("GET", "/v1/views", cookie).statusCode()).isEqualTo(200);
    // bearer keys are not cookies: no CSRF header needed
    http.post("/v1/views", admin, "{\"name\":\"k\",\"query\":\"\"}").expect(201);
  }

  @Test
  void theSecretIsCreatedOnceOwnerOnly() throws IOException {
    Path file = dir.resolve("keys/viewer-token.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    String before = Files.readString(file);
    String token = mint(admin, "owner").get("token").asString();
    server.close();
    server = TestServer.start(dir);
    base = "http://127.0.0.1:" + server.server().port();
    assertThat(Files.readString(file)).isEqualTo(before);
    // a token minted before the restart still works after it
    assertThat(send("GET", "/ui/login?token=" + token, null).statusCode()).isEqualTo(200);
  }
}
