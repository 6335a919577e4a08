package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import org.trailbook.ui.UiConfig;

/**
 * Login links and the session cookie take nothing from headers a client controls: the link is built
 * from TRAILBOOK_PUBLIC_URL or the server's own address (never Host or X-Forwarded-*), and the cookie
 * is Secure exactly when the public URL is https (never because of X-Forwarded-Proto).
 */
class LoginLinkTest {
  @TempDir Path dir;

  /** One request over a raw socket, so the Host header can be anything. */
  private static String[] rawRequest(int port, String method, String path, String body, String... headers) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
      for (int i = 0; i < headers.length; i += 2) req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      req.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = response.indexOf("\r\n\r\n");
      return new String[] {response.substring(0, split), response.substring(split + 4)};
    }
  }

  private static String mintUrl(TestServer server, String key, String... headers) throws IOException {
    String[] all = new String[headers.length + 4];
    all[0] = "Authorization";
    all[1] = "Bearer " + key;
    all[2] = "Content-Type";
    all[3] = "application/json";
    System.arraycopy(headers, 0, all, 4, headers.length);
    String[] r = rawRequest(server.server().port(), "POST", "/v1/viewer-tokens", "{\"actor\":{\"id\":\"u_1\"},\"role\":\"owner\"}", all);
    assertThat(r[0]).startsWith("HTTP/1.1 201");
    String body = r[1];
    if (r[0].toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("}") + 1);
    return Json.MAPPER.readTree(body).get("url").asString();
  }

  private static String loginSetCookie(TestServer server, String url, String... headers) throws IOException {
    String path = url.substring(url.indexOf("/ui/login"));
    String[] r = rawRequest(server.server().port(), "GET", path, "", headers);
    assertThat(r[0]).startsWith("HTTP/1.1 200");
    for (String line : r[0].split("\r\n")) if (line.regionMatches(true, 0, "Set-Cookie:", 0, 11)) return line;
    throw new AssertionError("no Set-Cookie in " + r[0]);
  }

  @Test
  void aForgedHostHeaderNeverReachesALoginLink() throws IOException {
    try (TestServer server = TestServer.start(dir)) {
      String key = server.workspaceWithKey("acme", "admin");
      String own = "http://127.0.0.1:" + server.server().port() + "/ui/login?token=";
      assertThat(mintUrl(server, key, "Host", "evil.example")).startsWith(own);
      assertThat(mintUrl(server, key, "Host", "evil.example:443", "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https",
          "Forwarded", "host=evil.example;proto=https")).startsWith(own);
    }
  }

  @Test
  void withAPublicUrlLinksAreBuiltFromItAndTheCookieIsSecure() throws IOException {
    UiConfig ui = UiConfig.fromEnvironment(Map.of("TRAILBOOK_PUBLIC_URL", "https://audit.example.com/"));
    try (TestServer server = TestServer.start(ServerConfig.fromEnvironment(Map.of()).withDataDir(dir), ui)) {
      String key = server.workspaceWithKey("acme", "admin");
      String url = mintUrl(server, key, "Host", "evil.example");
      assertThat(url).startsWith("https://audit.example.com/ui/login?token=");
      // the login arrives over plain HTTP here (a TLS proxy in front), with no forwarding header at all
      assertThat(loginSetCookie(server, url, "Host", "audit.example.com")).contains("; Secure").contains("; HttpOnly", "; SameSite=Strict");
    }
  }

  @Test
  void aForgedForwardedProtoDoesNotMakeTheCookieSecure() throws IOException {
    UiConfig ui = UiConfig.fromEnvironment(Map.of("TRAILBOOK_PUBLIC_URL", "http://audit.internal:8080"));
    try (TestServer server = TestServer.start(ServerConfig.fromEnvironment(Map.of()).withDataDir(dir), ui)) {
      String key = server.workspaceWithKey("acme", "admin");
      String url = mintUrl(server, key, "Host", "x", "X-Forwarded-Proto", "https");
      assertThat(url).startsWith("http://audit.internal:8080/ui/login?token=");
      assertThat(loginSetCookie(server, url, "Host", "x", "X-Forwarded-Proto", "https", "Forwarded", "proto=https")).doesNotContain("Secure");
    }
    try (TestServer server = TestServer.start(dir)) {
      String url = mintUrl(server, server.key("acme", "admin"), "Host", "x");
      assertThat(loginSetCookie(server, url, "Host", "x", "X-Forwarded-Proto", "https")).doesNotContain("Secure");
    }
  }
}
