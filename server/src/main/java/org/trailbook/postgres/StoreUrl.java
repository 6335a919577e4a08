package org.trailbook.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where a PostgreSQL store is: {@code postgresql://user[:password]@host[:port]/database[?params]}
 * as {@code --store} or {@code TRAILBOOK_STORE} give it (a {@code jdbc:postgresql://} URL is taken
 * too). The password may also come from {@code PGPASSWORD}; it never appears in {@link #toString}.
 */
public record StoreUrl(String jdbcUrl, String user, Optional<String> password, String display) {

  /** Parses a store URL; throws {@link IllegalArgumentException} naming what is wrong. */
  public static StoreUrl parse(String text, Optional<String> passwordFromEnv) {
    String s = text.strip();
    if (s.startsWith("jdbc:")) s = s.substring("jdbc:".length());
    if (s.startsWith("postgres://")) s = "postgresql://" + s.substring("postgres://".length());
    if (!s.startsWith("postgresql://")) {
      throw new IllegalArgumentException("a store URL starts with postgresql:// (for example postgresql://trailbook@db.example.com:5432/trailbook), not: " + redacted(text));
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the store URL is not a valid URL (" + e.getReason() + "): " + redacted(text));
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) throw new IllegalArgumentException("the store URL names no host: " + redacted(text));
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (path.length() <= 1) throw new IllegalArgumentException("the store URL names no database (postgresql://user@host/DATABASE): " + redacted(text));
    String user = "postgres";
    Optional<String> password = passwordFromEnv;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      if (parts.length == 2) password = Optional.of(decode(parts[1]));
    }
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + path + query;
    String display = "postgresql://" + user + "@" + uri.getHost() + ":" + port + path;
    return new StoreUrl(jdbc, user, password, display);
  }

  public static StoreUrl parse(String text) {
    return parse(text, Optional.ofNullable(System.getenv("PGPASSWORD")));
  }

  /** True when {@code text} names a PostgreSQL store rather than a data directory. */
  public static boolean isPostgres(String text) {
    String s = text.strip();
    return s.startsWith("postgresql://") || s.startsWith("postgres://") || s.startsWith("jdbc:postgresql://");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The URL with any password replaced, for messages. */
  static String redacted(String text) {
    return text.replaceAll("(//[^:/@]*):[^@/]*@", "$1:***@");
  }

  @Override
  public String toString() {
    return display;
  }
}
