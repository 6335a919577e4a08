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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * as a cookie nor the reverse. A token is redeemed once (remembered in memory until it expires).
 */
public final class ViewerTokens {
  public static final String COOKIE = "tb_session";
  public static final Duration MAX_TTL = Duration.ofHours(24);
  public static final Duration MIN_TTL = Duration.ofSeconds(30);
  public static final Duration SESSION_TTL = Duration.ofHours(8);
  static final String TOKEN_PREFIX = "tbv1";
  static final String SESSION_PREFIX = "tbs1";
  private static final SecureRandom RANDOM = new SecureRandom();

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
  private final Map<String, Long> redeemed = new ConcurrentHashMap<>();

  public ViewerTokens(byte[] secret, Clock clock) {
    this.secret = secret.clone();
    this.clock = clock;
  }

  /** Checks a mint request and signs a token for it; errors name the field and the rule. */
  public String mint(String workspace, Person person, String roleName, long ttlSeconds) {
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
    return sign(TOKEN_PREFIX, new ViewerSession(randomId(), workspace, person, role, now() + ttlSeconds));
  }

  /** The session a token stands for; refuses forged, expired and already redeemed tokens. */
  public ViewerSession redeem(String token) {
    ViewerSession s = check(TOKEN_PREFIX, token);
    long now = now();
    redeemed.values().removeIf(exp -> exp < now);
    if (redeemed.putIfAbsent(s.id(), s.expiresAt()) != null) {
      throw new RejectedException(Failure.ALREADY_USED, "this sign-in link was already used");
    }
    return s;
  }

  /** A new session for the person of a redeemed token, lasting {@link #SESSION_TTL}. */
  public ViewerSession newSession(ViewerSession token) {
    return new ViewerSession(randomId(), token.workspace(), token.person(), token.role(), now() + SESSION_TTL.toSeconds());
  }

  /** The cookie value of a session. */
  public String cookieValue(ViewerSession session) {
    return sign(SESSION_PREFIX, session);
  }

  /** The session a cookie value stands for; refuses forged and expired cookies. */
  public ViewerSession session(String cookie) {
    return check(SESSION_PREFIX, cookie);
  }

  /** Seconds since the epoch, by this server's clock. */
  public long now() {
    return clock.instant().getEpochSecond();
  }

  private String sign(String prefix, ViewerSession s) {
    ObjectNode claims = Json.MAPPER.createObjectNode();
    claims.put("jti", s.id()).put("ws", s.workspace()).put("sub", s.person().id());
    if (s.person().email() != null) claims.put("email", s.person().email());
    if (s.person().name() != null) claims.put("name", s.person().name());
    claims.put("role", s.role().wireName()).put("exp", s.expiresAt());
    String payload = base64(Json.MAPPER.writeValueAsBytes(claims));
    return prefix + "." + payload + "." + base64(mac(prefix + "." + payload));
  }

  private ViewerSession check(String prefix, String value) {
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
    ViewerSession s = parseClaims(parts[1]);
    if (s.expiresAt() <= now()) throw new RejectedException(Failure.EXPIRED, "the token expired");
    return s;
  }

  private static ViewerSession parseClaims(String payload) {
    try {
      JsonNode c = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(payload));
      Role role = Role.parse(c.path("role").asString(""));
      if (role == null || !c.path("exp").isNumber() || !c.path("ws").isString() || !c.path("sub").isString()) {
        throw new RejectedException(Failure.MALFORMED, "the token claims are incomplete");
      }
      Person p = new Person(c.get("sub").asString(), text(c, "email"), text(c, "name"));
      return new ViewerSession(c.path("jti").asString(""), c.get("ws").asString(), p, role, c.get("exp").asLong());
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

  private static String randomId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
