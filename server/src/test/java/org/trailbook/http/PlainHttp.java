package org.trailbook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Exchanges with any method, body and headers as they are (session cookies, the CSRF header, method-override
 * headers), for tests of what the server makes of them.
 */
public final class PlainHttp {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private PlainHttp() {}

  /** {@code headers} are name, value, name, value, …; a null body sends none. */
  public static HttpResponse<String> send(String url, String method, String contentType, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) b.header("Content-Type", contentType);
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    try {
      return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The page's session cookie that a successful {@code /ui/login} answer sets: the value to send back. */
  public static String sessionCookie(HttpResponse<String> signIn) {
    assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
    String setCookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
  }

  /** {@code headers} with the session cookie in front (none for a null cookie). */
  public static String[] withCookie(String cookie, String... headers) {
    if (cookie == null) return headers;
    String[] all = new String[headers.length + 2];
    all[0] = "Cookie";
    all[1] = org.trailbook.ui.ViewerTokens.COOKIE + "=" + cookie;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return all;
  }
}
