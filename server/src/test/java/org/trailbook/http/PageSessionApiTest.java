package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.access.Credential;
import org.trailbook.access.Scope;
import org.trailbook.server.TestServer;
import org.trailbook.ui.PageSession;
import org.trailbook.ui.SessionStore;
import org.trailbook.ui.ViewerTokens;
import tools.jackson.databind.JsonNode;

/** Page sessions live on the server: once-only links across restarts, sign-out, key revocation, admins ending sessions. */
class PageSessionApiTest {
  @TempDir Path dir;
  TestServer server;
  String admin;
  String adminKeyId;
  String base;

  @BeforeEach
  void start() {
    server = TestServer.start(dir);
    admin = server.workspaceWithKey("acme", "ingest", "read", "admin");
    adminKeyId = server.http.get("/v1/workspaces/acme/keys", TestServer.ADMIN_KEY).json().get("keys").get(0).get("id").asString();
    base = "http://127.0.0.1:" + server.server().port();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void restart() {
    server.close();
    server = TestServer.start(dir);
    base = "http://127.0.0.1:" + server.server().port();
  }

  private String mint(String key, String personId) {
    return server.http.post("/v1/viewer-tokens", key, "{\"actor\":{\"id\":\"" + personId + "\",\"name\":\"Ana\"},\"role\":\"owner\",\"ttl_seconds\":600}")
        .expect(201).json().get("token").asString();
  }

  private HttpResponse<String> send(String method, String path, String cookie, String... headers) {
    return PlainHttp.send(base + path, method, null, null, PlainHttp.withCookie(cookie, headers));
  }

  private String signIn(String token) {
    return PlainHttp.sessionCookie(send("GET", "/ui/login?token=" + token, null));
  }

  private JsonNode latest(String action) {
    for (JsonNode e : server.http.get("/v1/events?limit=50", admin).expect(200).json().get("events")) {
      if (e.get("action").asString().equals(action)) return e;
    }
    throw new AssertionError("no " + action + " event");
  }

  private List<PageSession> sessions() {
    return server.server().sessions().list("acme");
  }

  @Test
  void aLoginLinkWorksOnceEvenAcrossARestart() {
    String token = mint(admin, "u_1");
    signIn(token);
    restart();
    HttpResponse<String> again = send("GET", "/ui/login?token=" + token, null);
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(again.body()).contains("already used");
    assertThat(again.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void sessionsLiveOnTheServerSurviveARestartAndOnlyTheirHashIsStored() throws IOException {
    String cookie = signIn(mint(admin, "u_1"));
    ViewerTokens.SessionCookie named = server.server().viewerTokens().readCookie(cookie);
    restart();
    assertThat(send("GET", "/v1/events", cookie).statusCode()).isEqualTo(200);
    String stored = Files.readString(dir.resolve("sessions/sessions.json"));
    assertThat(stored).contains(named.sessionId()).doesNotContain(named.secret()).doesNotContain(cookie);
    // the sign-in names the session it opened
    assertThat(latest("audit_log.viewer_signed_in").get("context").get("session_id").asString()).isEqualTo(named.sessionId());
  }

  @Test
  void signingOutEndsTheSessionOnTheServerSoTheOldCookieIsRefused() {
    List<SessionStore.Ended> heard = new CopyOnWriteArrayList<>();
    server.server().sessions().addEndListener(heard::add);
    String cookie = signIn(mint(admin, "u_1"));
    // a sign-out without the page's CSRF header ends nothing
    assertThat(send("POST", "/ui/logout", cookie).statusCode()).isEqualTo(403);
    assertThat(send("GET", "/v1/events", cookie).statusCode()).isEqualTo(200);

    HttpResponse<String> out = send("POST", "/ui/logout", cookie, "X-Trailbook-CSRF", "1", "User-Agent", "TestBrowser/1.0");
    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("tb_session=;").contains("Max-Age=0");
    // the old cookie, replayed, no longer works
    assertThat(send("GET", "/v1/events", cookie).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/ui/", cookie).body()).contains("Sign in through your application");
    assertThat(sessions()).isEmpty();
    assertThat(heard).singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo(SessionStore.EndReason.SIGNED_OUT));

    JsonNode e = latest("audit_log.viewer_signed_out");
    assertThat(e.get("category").asString()).isEqualTo("audit_log");
    assertThat(e.get("actor").get("id").asString()).isEqualTo("u_1");
    assertThat(e.get("context").get("user_agent").asString()).isEqualTo("TestBrowser/1.0");
    assertThat(e.get("context").get("session_id").asString()).isEqualTo(heard.get(0).session().id());
    // and it stays ended after a restart
    restart();
    assertThat(send("GET", "/v1/events", cookie).statusCode()).isEqualTo(401);
    // signing out again, or without a session, is harmless
    assertThat(send("POST", "/ui/logout", cookie, "X-Trailbook-CSRF", "1").statusCode()).isEqualTo(200);
  }

  @Test
  void revokingTheKeyThatMintedTheLinkEndsItsSessionsAndItsUnusedLinks() {
    String otherAdmin = server.key("acme", "admin", "read");
    List<SessionStore.Ended> heard = new CopyOnWriteArrayList<>();
    server.server().sessions().addEndListener(heard::add);
    String first = signIn(mint(admin, "u_1"));
    String second = signIn(mint(admin, "u_2"));
    String unused = mint(admin, "u_3");
    String kept = signIn(mint(otherAdmin, "u_4"));

    server.http.delete("/v1/workspaces/acme/keys/" + adminKeyId, TestServer.ADMIN_KEY).expect(200);
    assertThat(send("GET", "/v1/events", first).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/v1/events", second).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/v1/events", kept).statusCode()).isEqualTo(200);
    HttpResponse<String> link = send("GET", "/ui/login?token=" + unused, null);
    assertThat(link.statusCode()).isEqualTo(401);
    assertThat(link.body()).contains("no longer valid");
    assertThat(heard).hasSize(2).allSatisfy(e -> assertThat(e.reason()).isEqualTo(SessionStore.EndReason.KEY_REVOKED));
    assertThat(sessions()).extracting(s -> s.person().id()).containsExactly("u_4");

    List<JsonNode> ended = new java.util.ArrayList<>();
    for (JsonNode e : server.http.get("/v1/events?limit=50", otherAdmin).expect(200).json().get("events")) {
      if (e.get("action").asString().equals("audit_log.viewer_session_ended")) ended.add(e);
    }
    assertThat(ended).hasSize(2).allSatisfy(e -> {
      assertThat(e.get("category").asString()).isEqualTo("audit_log");
      assertThat(e.get("metadata").get("reason").asString()).isEqualTo("key_revoked");
      assertThat(e.get("metadata").get("minted_by").asString()).isEqualTo(adminKeyId);
    });
    assertThat(ended).extracting(e -> e.get("metadata").get("person_id").asString()).containsExactlyInAnyOrder("u_1", "u_2");
  }

  @Test
  void anAdminListsAndEndsTheWorkspacesSessionsButNoOtherWorkspaces() {
    String globexAdmin = server.workspaceWithKey("globex", "admin");
    String reader = server.key("acme", "read");
    String cookie = signIn(mint(admin, "u_1"));
    String other = signIn(mint(admin, "u_2"));

    JsonNode list = server.http.get("/v1/workspaces/acme/sessions", admin).expect(200).json().get("sessions");
    assertThat(list).hasSize(2);
    JsonNode first = list.get(0);
    assertThat(first.get("person").get("id").asString()).isEqualTo("u_1");
    assertThat(first.get("role").asString()).isEqualTo("owner");
    assertThat(first.get("minted_by").asString()).isEqualTo(adminKeyId);
    assertThat(first.has("created_at") && first.has("expires_at") && first.has("last_seen_at")).isTrue();
    assertThat(list.toString()).doesNotContain(server.server().viewerTokens().readCookie(cookie).secret());
    server.http.get("/v1/workspaces/acme/sessions", TestServer.ADMIN_KEY).expect(200);
    server.http.get("/v1/workspaces/acme/sessions", globexAdmin).expect(403);
    server.http.get("/v1/workspaces/acme/sessions", reader).expect(403);
    server.http.get("/v1/workspaces/nowhere/sessions", TestServer.ADMIN_KEY).expect(404);
    assertThat(send("GET", "/v1/workspaces/acme/sessions", cookie).statusCode()).isEqualTo(403); // a page session is no admin

    String id = first.get("id").asString();
    server.http.delete("/v1/workspaces/acme/sessions/" + id, globexAdmin).expect(403);
    server.http.delete("/v1/workspaces/globex/sessions/" + id, globexAdmin).expect(404); // not globex's session
    assertThat(send("GET", "/v1/events", cookie).statusCode()).isEqualTo(200);

    assertThat(server.http.delete("/v1/workspaces/acme/sessions/" + id, admin).expect(200).json().get("id").asString()).isEqualTo(id);
    assertThat(send("GET", "/v1/events", cookie).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/v1/events", other).statusCode()).isEqualTo(200);
    server.http.delete("/v1/workspaces/acme/sessions/" + id, admin).expect(404);
    JsonNode e = latest("audit_log.viewer_session_ended");
    assertThat(e.get("metadata").get("reason").asString()).isEqualTo("ended_by_admin");
    assertThat(e.get("resource").get("id").asString()).isEqualTo(id);
    assertThat(e.get("actor").get("id").asString()).isEqualTo(adminKeyId);

    String otherId = server.http.get("/v1/workspaces/acme/sessions", admin).json().get("sessions").get(0).get("id").asString();
    server.http.delete("/v1/workspaces/acme/sessions/" + otherId, TestServer.ADMIN_KEY).expect(200);
    assertThat(send("GET", "/v1/events", other).statusCode()).isEqualTo(401);
    assertThat(latest("audit_log.viewer_session_ended").get("layer").asString()).isEqualTo("platform");
  }

  @Test
  void eachSessionIsItsOwnCredentialAndStillValidAnswersFromTheStore() {
    signIn(mint(admin, "u_1"));
    signIn(mint(admin, "u_1")); // the same person twice: two sessions
    List<PageSession> both = sessions();
    assertThat(both).hasSize(2);
    Authenticator auth = new Authenticator(server.server().access(), new RateLimiter(0, System::nanoTime), server.server().viewerTokens(),
        server.server().sessions());
    Credential one = credential(both.get(0));
    Credential two = credential(both.get(1));
    assertThat(one.keyId()).isNotEqualTo(two.keyId()).startsWith("session:");
    assertThat(auth.stillValid(one)).isTrue();
    assertThat(auth.stillValid(two)).isTrue();

    server.http.delete("/v1/workspaces/acme/sessions/" + both.get(0).id(), admin).expect(200);
    assertThat(auth.stillValid(one)).isFalse();
    assertThat(auth.stillValid(two)).isTrue();
    server.http.delete("/v1/workspaces/acme/keys/" + adminKeyId, TestServer.ADMIN_KEY).expect(200);
    assertThat(auth.stillValid(two)).isFalse();
  }

  @Test
  void rateLimitsCountPerSessionNotPerPerson() {
    server.close();
    server = TestServer.start(org.trailbook.server.ServerConfig.fromEnvironment(java.util.Map.of("TRAILBOOK_RATE_LIMIT", "1")).withDataDir(dir));
    base = "http://127.0.0.1:" + server.server().port();
    String first = signIn(mint(admin, "u_1"));
    String second = signIn(mint(admin, "u_1")); // the same person, another session (another browser)
    int status = 200;
    for (int i = 0; i < 20 && status != 429; i++) status = send("GET", "/v1/ui/config", first).statusCode();
    assertThat(status).as("the first session reaches its limit").isEqualTo(429);
    assertThat(send("GET", "/v1/ui/config", second).statusCode()).as("the second session has its own budget").isEqualTo(200);
  }

  private static Credential credential(PageSession s) {
    return new Credential(s.keyId(), s.workspace(), java.util.Set.of(Scope.READ, Scope.EXPORT), false, s.person());
  }
}
