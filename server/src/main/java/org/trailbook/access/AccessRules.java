package org.trailbook.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.trailbook.InvalidInputException;
import org.trailbook.NotFoundException;
import org.trailbook.Problem;

/**
 * What every {@link AccessStore} answers the same way, whatever keeps its state: validation of
 * workspaces and keys, how secrets and ids are made, hashed and timed, and the errors callers see.
 */
public final class AccessRules {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AccessRules() {}

  /** Refuses an invalid workspace id or name (400, naming each field). */
  public static void checkWorkspace(String id, String name) {
    List<Problem> problems = new ArrayList<>();
    if (id == null) problems.add(Problem.of("id", "is required"));
    else if (!Workspace.ID.matcher(id).matches()) problems.add(Problem.of("id", "must match [a-z0-9][a-z0-9-]{0,62}"));
    if (name != null && (name.isBlank() || name.length() > 200)) problems.add(Problem.of("name", "must be 1 to 200 characters"));
    if (!problems.isEmpty()) throw new InvalidInputException("invalid_workspace", "the workspace is invalid", problems);
  }

  /** The scopes of a new key named {@code name}; refuses an invalid name or scope list (400, naming each field). */
  public static Set<Scope> checkKey(String name, List<String> scopeNames) {
    List<Problem> problems = new ArrayList<>();
    if (name == null || name.isBlank() || name.length() > 200) problems.add(Problem.of("name", "must be 1 to 200 characters"));
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    if (scopeNames == null || scopeNames.isEmpty()) {
      problems.add(Problem.of("scopes", "must list at least one of ingest, read, export, admin"));
    } else {
      for (int i = 0; i < scopeNames.size(); i++) {
        Scope s = Scope.parse(scopeNames.get(i));
        if (s == null) problems.add(Problem.of("scopes[" + i + "]", "must be one of ingest, read, export, admin"));
        else scopes.add(s);
      }
    }
    if (!problems.isEmpty()) throw new InvalidInputException("invalid_key", "the key is invalid", problems);
    return Set.copyOf(scopes);
  }

  /** Whether a configured admin key was given (else one is generated). */
  public static boolean given(String configured) {
    return configured != null && !configured.isBlank();
  }

  public static String newAdminKey() {
    return "tba_" + randomToken();
  }

  public static String newKeySecret() {
    return "tbk_" + randomToken();
  }

  public static String newKeyId() {
    return "key_" + HexFormat.of().formatHex(randomBytes(8));
  }

  /** The credential a stored key stands for, or the 401 for an unknown or revoked one. */
  public static Credential credentialOf(ApiKey k) {
    if (k == null || k.revoked()) throw AccessDeniedException.unauthenticated("unknown or revoked API key");
    return new Credential(k.id(), k.workspace(), k.scopes(), false);
  }

  /** The hash of a presented bearer token, or the 401 for a missing one. */
  public static String tokenHash(String token) {
    if (token == null || token.isBlank()) throw AccessDeniedException.unauthenticated("missing credential: send 'Authorization: Bearer <key>'");
    return sha256(token.strip());
  }

  public static NotFoundException noWorkspace(String workspace) {
    return new NotFoundException("no workspace '" + workspace + "'");
  }

  public static NotFoundException noKey(String workspace, String keyId) {
    return new NotFoundException("no key '" + keyId + "' in workspace '" + workspace + "'");
  }

  /** Now, as stored on workspaces and keys: an ISO instant to the millisecond. */
  public static String now(Clock clock) {
    return DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.MILLIS));
  }

  /** The SHA-256 of a secret, in hex: all that is ever stored of it. */
  public static String sha256(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String randomToken() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
