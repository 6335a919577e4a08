package org.trailbook.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The page's files, served from the jar ({@code /ui/} on the class path), and the small HTML
 * pages that explain why someone cannot get in. Every text put into HTML here is escaped.
 */
public final class UiAssets {
  /** A file and its media type. */
  public record Asset(byte[] bytes, String contentType) {}

  /**
   * For every /ui/ response: only this server's own scripts, styles and API; no inline script, no
   * plugins, no framing by other sites.
   */
  public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}\\.(js|css|svg)");
  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

  /** A file under {@code /ui/assets/}, or empty for unknown or badly named ones. */
  public Optional<Asset> asset(String name) {
    if (!NAME.matcher(name).matches()) return Optional.empty();
    return cache.computeIfAbsent(name, n -> read("/ui/assets/" + n).map(b -> new Asset(b, contentType(n))));
  }

  /** The page itself. */
  public byte[] index() {
    return cache.computeIfAbsent("index.html", n -> read("/ui/index.html").map(b -> new Asset(b, "text/html; charset=utf-8")))
        .orElseThrow(() -> new IllegalStateException("/ui/index.html is missing from the jar"))
        .bytes();
  }

  /** A short page with a title, an explanation and what to do next. */
  public static byte[] messagePage(String title, String message, String nextStep) {
    String html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + escape(title) + " · Trailbook</title><link rel=\"stylesheet\" href=\"/ui/assets/app.css\"></head>"
        + "<body class=\"message-page\"><main class=\"message\"><h1 id=\"message-title\">" + escape(title) + "</h1>"
        + "<p id=\"message-text\">" + escape(message) + "</p><p class=\"next\">" + escape(nextStep) + "</p></main></body></html>\n";
    return html.getBytes(StandardCharsets.UTF_8);
  }

  /** The page shown after a successful sign-in: it moves on to the log by itself (same-site). */
  public static byte[] continuePage(String name) {
    String html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta http-equiv=\"refresh\" content=\"0;url=/ui/\"><title>Signed in · Trailbook</title>"
        + "<link rel=\"stylesheet\" href=\"/ui/assets/app.css\"></head><body class=\"message-page\"><main class=\"message\">"
        + "<h1>Signed in</h1><p>Welcome, " + escape(name) + ". Opening the Activity Log…</p>"
        + "<p><a href=\"/ui/\">Continue to the Activity Log</a></p></main></body></html>\n";
    return html.getBytes(StandardCharsets.UTF_8);
  }

  /** HTML-escapes text for element content and quoted attributes. */
  public static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String contentType(String name) {
    if (name.endsWith(".js")) return "text/javascript; charset=utf-8";
    if (name.endsWith(".css")) return "text/css; charset=utf-8";
    return "image/svg+xml";
  }

  private static Optional<byte[]> read(String path) {
    try (InputStream in = UiAssets.class.getResourceAsStream(path)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + " from the jar", e);
    }
  }
}
