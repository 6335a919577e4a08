package org.trailbook.ui;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.trailbook.InvalidInputException;
import org.trailbook.Json;
import org.trailbook.Problem;
import org.trailbook.access.Person;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Mints and checks viewer tokens and session cookies. Both are {@code <prefix>.<base64url(JSON
 * claims)>.<base64url(HMAC-SHA256)>}; the MAC covers the prefix too, so a token is never accepted
 * as a cookie nor the reverse. A token names its workspace, person, role, expiry and the API key
 * that minted it ({@code kid}); a cookie names only a session of the {@link SessionStore} and that
 * session's secret, so the server decides on every request whether it still stands. That a token
 * is redeemed once is the {@link SessionStore}'s job (it remembers used token ids on disk).
 */
public final class ViewerTokens {
  public static final String COOKIE = "tb_session";
  public static final Duration MAX_TTL = Duration.ofHours(24);
  public static final Duration MIN_TTL = Duration.ofSeconds(30);
  public static final Duration SESSION_TTL = Duration.ofHours(8);
  static final String TOKEN_PREFIX = "tbv1";
  static final String SESSION_PREFIX = "tbs2";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a session cookie names: a session id and the session's secret. */
  public record SessionCookie(String sessionId, String secret) {}

  /** Why a token or cookie was refused, so the page can say what to do. */
  public enum Failure { MALFORMED, BAD_SIGNATURE, EXPIRED, ALREADY_USED }

  /** A refused token or cookie. */
  public static final class RejectedException extends RuntimeException {
    private final Failure failure;

    RejectedException(Failure failure, String message) {
      super(message);
      this.failure = failure;
    }

    public Failure failure() {
      return failure;
    }
  }

  private final byte[] secret;
  private final Clock clock;

  public ViewerTokens(byte[] secret, Clock clock) {
    this.secret = secret.clone();
    this.clock = clock;
  }

  /**
   * Checks a mint request and signs a token for it; errors name the field and the rule.
   * {@code mintedBy} is the id of the API key that asks: revoking it ends the sessions it opened.
   */
  public String mint(String workspace, Person person, String roleName, long ttlSeconds, String mintedBy) {
    if (mintedBy == null || mintedBy.isBlank()) throw new IllegalArgumentException("a viewer token needs the id of the key that mints it");
    List<Problem> problems = new ArrayList<>();
    if (person.id() == null || person.id().isBlank() || person.id().length() > 128) problems.add(Problem.of("actor.id", "is required, 1 to 128 characters"));
    if (person.email() != null && (person.email().length() > 254 || !person.email().contains("@"))) problems.add(Problem.of("actor.email", "must be an email address of at most 254 characters"));
    if (person.name() != null && (person.name().isBlank() || person.name().length() > 200)) problems.add(Problem.of("actor.name", "must be 1 to 200 characters"));
    Role role = Role.parse(roleName);
    if (role == null) problems.add(Problem.of("role", "must be one of owner, admin, agent, viewer"));
    if (ttlSeconds < MIN_TTL.toSeconds() || ttlSeconds > MAX_TTL.toSeconds()) {
      problems.add(Problem.of("ttl_seconds", "must be from " + MIN_TTL.toSeconds() + " to " + MAX_TTL.toSeconds() + " seconds"));
    }
    if (!problems.isEmpty()) throw new InvalidInputException("invalid_viewer_token", "the viewer token request is invalid", problems);
    ViewerSession token = new ViewerSession(randomId(), workspace, person, role, now() + ttlSeconds, mintedBy);
    ObjectNode claims = Json.MAPPER.createObjectNode();
    claims.put("jti", token.id()).put("ws", token.workspace()).put("sub", person.id());
    if (person.email() != null) claims.put("email", person.email());
    if (person.name() != null) claims.put("name", person.name());
    claims.put("role", role.wireName()).put("exp", token.expiresAt()).put("kid", mintedBy);
    return sign(TOKEN_PREFIX, claims);
  }

  /**
   * What a token stands for; refuses forged, altered and expired tokens. Whether it was used
   * already, or its key revoked since, is for the caller to check ({@link SessionStore#redeem}).
   */
  public ViewerSession verify(String token) {
    JsonNode c = check(TOKEN_PREFIX, token);
    try {
      Role role = Role.parse(c.path("role").asString(""));
      if (role == null || !c.path("exp").isNumber() || !c.path("ws").isString() || !c.path("sub").isString()
          || !c.path("jti").isString() || !c.path("kid").isString()) {
        throw new RejectedException(Failure.MALFORMED, "the token claims are incomplete");
      }
      Person p = new Person(c.get("sub").asString(), text(c, "email"), text(c, "name"));
      ViewerSession s = new ViewerSession(c.get("jti").asString(), c.get("ws").asString(), p, role, c.get("exp").asLong(), c.get("kid").asString());
      if (s.expiresAt() <= now()) throw new RejectedException(Failure.EXPIRED, "the token expired");
      return s;
    } catch (JacksonException e) {
      throw new RejectedException(Failure.MALFORMED, "the token claims are not readable");
    }
  }

  /** The cookie value naming a session and its secret. */
  public String cookieValue(String sessionId, String secret) {
    return sign(SESSION_PREFIX, Json.MAPPER.createObjectNode().put("sid", sessionId).put("sec", secret));
  }

  /** The session a cookie value names; refuses forged and altered cookies (the store decides the rest). */
  public SessionCookie readCookie(String cookie) {
    JsonNode c = check(SESSION_PREFIX, cookie);
    if (!c.path("sid").isString() || !c.path("sec").isString()) throw new RejectedException(Failure.MALFORMED, "the session cookie names no session");
    return new SessionCookie(c.get("sid").asString(), c.get("sec").asString());
  }

  /** Seconds since the epoch, by this server's clock. */
  public long now() {
    return clock.instant().getEpochSecond();
  }

  private String sign(String prefix, ObjectNode claims) {
    String payload = base64(Json.MAPPER.writeValueAsBytes(claims));
    return prefix + "." + payload + "." + base64(mac(prefix + "." + payload));
  }

  private JsonNode check(String prefix, String value) {
    if (value == null || value.length() > 4096) throw new RejectedException(Failure.MALFORMED, "the token is missing or too long");
    String[] parts = value.strip().split("\\.", -1);
    if (parts.length != 3 || !parts[0].equals(prefix)) throw new RejectedException(Failure.MALFORMED, "the token is not in the expected format");
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new RejectedException(Failure.MALFORMED, "the token signature is not base64url");
    }
    if (!MessageDigest.isEqual(given, mac(prefix + "." + parts[1]))) {
      throw new RejectedException(Failure.BAD_SIGNATURE, "the token signature does not match: it was altered or not issued by this server");
    }
    try {
      JsonNode c = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
      if (c == null || !c.isObject()) throw new RejectedException(Failure.MALFORMED, "the token claims are not an object");
      return c;
    } catch (JacksonException | IllegalArgumentException e) {
      throw new RejectedException(Failure.MALFORMED, "the token claims are not readable");
    }
  }

  private static String text(JsonNode c, String field) {
    JsonNode n = c.get(field);
    return n == null || !n.isString() ? null : n.asString();
  }

  private byte[] mac(String data) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(secret, "HmacSHA256"));
      return m.doFinal(data.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String randomId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
