package org.trailbook.event;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.trailbook.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds valid events with known secret values planted at random places of every capture field, each in a shape the
 * redaction rules promise to catch (docs/events.md, "Redaction"): under a secret key at any depth of {@code
 * metadata}, {@code changes} and {@code context.location}; in secret headers; in query strings of URLs and header
 * values (with {@code &} or {@code ;}); in bodies given as an object, a JSON string (after a BOM or whitespace), a form
 * or a query string; as URL passwords; and written into free text ({@code name=value}, {@code "name": value}, header
 * lines) in error messages, stacks, webhook attempt errors, the job error and the summary. Key names vary in case,
 * separators and (in URLs and forms) percent-encoding. Shared by the core property test and the server's end-to-end
 * test; deterministic for a given {@link Random}.
 */
public final class SecretPlanter {
  /** An event and the secrets planted in it. */
  public record Planted(ObjectNode event, List<String> secrets) {}

  private static final List<String> KEYS = List.of("password", "passwd", "pwd", "passphrase", "secret", "token", "api_key", "apiKey",
      "access_key", "private_key", "credential", "credentials", "authorization", "signature", "cookie", "client_secret", "refresh_token",
      "x-auth-token", "db.password", "new_password", "AccessToken", "session-token", "api key");
  private static final List<String> HEADERS = List.of("Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key",
      "X-Auth-Token", "X-Client-Secret");
  private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final int CARRIERS = 19;

  private final Random rnd;
  private final boolean plainSecrets;
  private int serial;

  /**
   * @param plainSecrets secrets of lower-case letters and digits only (so a leak is recognisable even in a search
   *     index, whose analyser splits and lower-cases words); otherwise they also hold punctuation
   */
  public SecretPlanter(Random rnd, boolean plainSecrets) {
    this.rnd = rnd;
    this.plainSecrets = plainSecrets;
  }

  /** One event with {@code 1..max} secrets, each in a randomly chosen carrier. */
  public Planted next(int max) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("id", "planted-" + Integer.toHexString(rnd.nextInt()) + "-" + serial++);
    e.put("type", "api_call").put("action", "session.created");
    List<String> secrets = new ArrayList<>();
    int n = 1 + rnd.nextInt(max);
    for (int i = 0; i < n; i++) secrets.add(plant(e, rnd.nextInt(CARRIERS)));
    String sent = e.toString();
    secrets.removeIf(s -> !sent.contains(s)); // a later plant may have replaced an earlier one (one body per side)
    return new Planted(e, secrets);
  }

  private String plant(ObjectNode e, int carrier) {
    String s = secret(false);
    switch (carrier) {
      case 0 -> nest(obj(e, "metadata")).put(key(), s);
      case 1 -> nest(obj(obj(e, "changes"), rnd.nextBoolean() ? "before" : "after")).put(key(), s);
      case 2 -> nest(obj(obj(e, "context"), "location")).put(key(), s);
      case 3 -> {
        ObjectNode headers = obj(obj(obj(e, "http"), side()), "headers");
        String name = cased(pick(HEADERS));
        switch (rnd.nextInt(3)) {
          case 0 -> headers.put(name, s);
          case 1 -> headers.put(name, "Bearer " + s);
          default -> headers.putArray(name).add("a=1").add(s);
        }
      }
      case 4 -> obj(obj(obj(e, "http"), side()), "headers").put(rnd.nextBoolean() ? "Referer" : "Location",
          "https://app.example.com/cb?state=ok" + sep() + urlKey() + "=" + s + (rnd.nextBoolean() ? "#top" : ""));
      case 5 -> nest(obj(obj(e, "http"), side()).putObject("body")).put(key(), s);
      case 6 -> obj(obj(e, "http"), side()).put("body", jsonPrefix() + jsonDocument(s));
      case 7 -> obj(obj(e, "http"), side()).put("body", (rnd.nextBoolean() ? "?" : "") + "user=riley" + sep() + urlKey() + "=" + s
          + sep() + "remember=1" + (rnd.nextBoolean() ? "\r\n" : ""));
      case 8 -> obj(e, "http").put("url", "https://api.example.com/v1/login?page=1" + sep() + urlKey() + "=" + s + (rnd.nextBoolean() ? "#f" : ""));
      case 9 -> {
        String p = secret(true);
        String url = "https://bob:" + p + "@db.example.com:5432/app";
        switch (rnd.nextInt(3)) {
          case 0 -> obj(e, "resource").put("type", "database").put("url", url);
          case 1 -> obj(e, "webhook").put("endpoint", url);
          default -> obj(e, "http").put("url", url);
        }
        return p;
      }
      case 10 -> obj(e, "webhook").put("endpoint", "https://hooks.example.com/in?" + urlKey() + "=" + s);
      case 11 -> {
        ArrayNode attempts = obj(e, "webhook").withArray("attempts");
        attempts.addObject().put("status_code", 500).put("error", "timeout");
        attempts.addObject().put("status_code", 401).put("error", prose(s));
      }
      case 12 -> obj(obj(e, "job"), "error").put(rnd.nextBoolean() ? "message" : "stack", prose(s));
      case 13 -> obj(e, "error").put(rnd.nextBoolean() ? "message" : "stack", prose(s));
      case 14 -> nest(obj(e, "metadata")).put("note", prose(s));
      case 15 -> e.put("summary", "Signed in again with " + key().replace(" ", "_") + "=" + s + " after a retry");
      case 16 -> nest(obj(e, "metadata")).put("payload", jsonDocument(s));
      case 17 -> nest(obj(obj(e, "changes"), rnd.nextBoolean() ? "before" : "after")).put("raw", jsonPrefix() + jsonDocument(s));
      default -> obj(obj(e, "context"), "location").put("callback", "https://geo.example.com/?" + urlKey() + "=" + s);
    }
    return s;
  }

  /** A secret no other part of the event contains: a marker prefix and random characters. */
  private String secret(boolean urlSafe) {
    String alphabet = plainSecrets || urlSafe ? ALNUM : ALNUM + "ABCDEFGHIJKLMNOPQRSTUVWXYZ-._~!$*()+,:@/=";
    StringBuilder b = new StringBuilder("zq");
    for (int i = 0; i < 18; i++) b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    return b.toString();
  }

  /** Free text holding the secret in one of the shapes the scrubber knows. */
  private String prose(String s) {
    return switch (rnd.nextInt(5)) {
      case 0 -> "upstream refused the request (" + key().replace(" ", "_") + "=" + s + ")";
      case 1 -> "POST /v1/login HTTP/1.1\nHost: api.example.com\n" + cased(pick(HEADERS)) + ": Bearer " + s + "\nAccept: */*";
      case 2 -> "bad payload: " + jsonDocument(s) + " at offset 12";
      case 3 -> "escaped: {\\\"" + key() + "\\\":\\\"" + s + "\\\"}";
      default -> "fetch failed for https://api.example.com/x?a=1" + sep() + urlKey() + "=" + s + " after 3 tries";
    };
  }

  private String jsonDocument(String s) {
    ObjectNode doc = Json.MAPPER.createObjectNode().put("user", "riley");
    nest(doc).put(key(), s);
    return rnd.nextBoolean() ? doc.toString() : doc.toPrettyString();
  }

  private String jsonPrefix() {
    return switch (rnd.nextInt(4)) {
      case 0 -> "";
      case 1 -> "\uFEFF";
      case 2 -> " \r\n\t";
      default -> "\uFEFF\n  ";
    };
  }

  private ObjectNode nest(ObjectNode at) {
    ObjectNode o = at;
    int depth = rnd.nextInt(4);
    for (int i = 0; i < depth; i++) {
      o = rnd.nextBoolean() ? o.putObject("n" + rnd.nextInt(1000)) : o.putArray("list" + rnd.nextInt(1000)).addObject();
    }
    return o;
  }

  private static ObjectNode obj(ObjectNode parent, String name) {
    return parent.get(name) instanceof ObjectNode o ? o : parent.putObject(name);
  }

  private String side() {
    return rnd.nextBoolean() ? "request" : "response";
  }

  private String sep() {
    return rnd.nextBoolean() ? "&" : ";";
  }

  private String key() {
    return cased(pick(KEYS));
  }

  /** A parameter name as a URL or form would carry it: sometimes with characters percent-encoded (once or twice). */
  private String urlKey() {
    String k = key().replace(" ", "+");
    StringBuilder b = new StringBuilder();
    for (char c : k.toCharArray()) {
      int mode = c == '+' ? 0 : rnd.nextInt(c == '_' ? 3 : 8);
      String hex = String.format(Locale.ROOT, "%02X", (int) c);
      if (rnd.nextBoolean()) hex = hex.toLowerCase(Locale.ROOT);
      b.append(switch (mode) {
        case 1 -> "%" + hex;
        case 2 -> "%25" + hex;
        default -> String.valueOf(c);
      });
    }
    return b.toString();
  }

  private String cased(String s) {
    return switch (rnd.nextInt(3)) {
      case 0 -> s;
      case 1 -> s.toUpperCase(Locale.ROOT);
      default -> {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) b.append(rnd.nextBoolean() ? Character.toUpperCase(c) : c);
        yield b.toString();
      }
    };
  }

  private <T> T pick(List<T> from) {
    return from.get(rnd.nextInt(from.size()));
  }

  /** The planted secrets, URL-encoded too, for checking raw bytes where an encoder may have been at work. */
  public static List<String> forms(String secret) {
    return List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8));
  }
}
