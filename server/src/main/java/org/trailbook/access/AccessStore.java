package org.trailbook.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.trailbook.AtomicFiles;
import org.trailbook.ConflictException;
import org.trailbook.InvalidInputException;
import org.trailbook.JsonFileFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.Json;
import org.trailbook.NotFoundException;
import org.trailbook.Problem;

/**
 * Workspaces, API keys and the platform admin key, kept in {@code DIR/access/state.json}. Small
 * and rarely written, so every change rewrites the file atomically (temp file, fsync, rename).
 * Secrets are never stored: only their SHA-256. The file starts with its format header
 * ({@code "format":"trailbook.access","version":1}); a file without one (version 0) is upgraded by
 * rewriting it with the header when it is opened.
 */
public final class AccessStore {
  private static final Logger log = LoggerFactory.getLogger(AccessStore.class);
  /** The header of state.json; version 0 is the same object without it. */
  static final JsonFileFormat FORMAT = new JsonFileFormat("trailbook.access", 1);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What is persisted. */
  record State(String adminKeyHash, List<Workspace> workspaces, List<ApiKey> keys) {}

  /** A new key and its secret, which is shown once and never again. */
  public record CreatedKey(ApiKey key, String secret) {}

  private final Path file;
  private final Clock clock;
  private String adminKeyHash;
  private final Map<String, Workspace> workspaces = new LinkedHashMap<>();
  private final Map<String, ApiKey> keysById = new LinkedHashMap<>();
  private volatile Map<String, ApiKey> keysByHash = Map.of();
  private final List<java.util.function.Consumer<ApiKey>> revocationListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  private AccessStore(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  public static AccessStore open(Path dir, Clock clock) {
    AccessStore s = new AccessStore(dir.resolve("state.json"), clock);
    try {
      org.trailbook.OwnerOnly.directories(dir);
      if (Files.exists(s.file)) {
        JsonFileFormat.Read read = FORMAT.read(s.file, Files.readAllBytes(s.file));
        State st = Json.MAPPER.treeToValue(read.body(), State.class);
        s.adminKeyHash = st.adminKeyHash();
        for (Workspace w : st.workspaces()) s.workspaces.put(w.id(), w);
        for (ApiKey k : st.keys()) s.keysById.put(k.id(), k);
        s.reindex();
        if (read.version() < FORMAT.current()) {
          // version 0 (no header) holds the same fields: the upgrade is this rewrite, atomic like every save
          s.save();
          log.info("upgraded {} from format version {} to {}", s.file, read.version(), FORMAT.current());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + s.file, e);
    }
    return s;
  }

  /**
   * Sets the platform admin key on the first start of a data directory: {@code configured} if
   * given, else a new random one, which is returned so it can be shown once. Later starts keep
   * the stored hash and return empty.
   */
  public synchronized Optional<String> initAdminKey(String configured) {
    if (adminKeyHash != null) return Optional.empty();
    String key = configured != null && !configured.isBlank() ? configured : "tba_" + randomToken();
    adminKeyHash = sha256(key);
    save();
    return configured != null && !configured.isBlank() ? Optional.empty() : Optional.of(key);
  }

  /**
   * Replaces the platform admin key (the server is stopped: {@code trailbook admin reset-key}):
   * {@code configured} if given, else a new random one, which is returned so it can be shown once.
   */
  public synchronized String resetAdminKey(String configured) {
    String key = configured != null && !configured.isBlank() ? configured.strip() : "tba_" + randomToken();
    adminKeyHash = sha256(key);
    save();
    return key;
  }

  /** The credential a bearer token stands for; unknown or revoked tokens are refused. */
  public Credential authenticate(String token) {
    if (token == null || token.isBlank()) throw AccessDeniedException.unauthenticated("missing credential: send 'Authorization: Bearer <key>'");
    String hash = sha256(token.strip());
    if (hash.equals(adminKeyHash)) return Credential.admin();
    ApiKey k = keysByHash.get(hash);
    if (k == null || k.revoked()) throw AccessDeniedException.unauthenticated("unknown or revoked API key");
    return new Credential(k.id(), k.workspace(), k.scopes(), false);
  }

  public synchronized Workspace createWorkspace(String id, String name) {
    List<Problem> problems = new ArrayList<>();
    if (id == null) problems.add(Problem.of("id", "is required"));
    else if (!Workspace.ID.matcher(id).matches()) problems.add(Problem.of("id", "must match [a-z0-9][a-z0-9-]{0,62}"));
    if (name != null && (name.isBlank() || name.length() > 200)) problems.add(Problem.of("name", "must be 1 to 200 characters"));
    if (!problems.isEmpty()) throw new InvalidInputException("invalid_workspace", "the workspace is invalid", problems);
    if (workspaces.containsKey(id)) throw new ConflictException("workspace '" + id + "' already exists");
    Workspace w = new Workspace(id, name == null ? id : name, now());
    workspaces.put(id, w);
    save();
    return w;
  }

  public synchronized List<Workspace> workspaces() {
    return List.copyOf(workspaces.values());
  }

  public synchronized Optional<Workspace> workspace(String id) {
    return Optional.ofNullable(workspaces.get(id));
  }

  public synchronized CreatedKey createKey(String workspace, String name, List<String> scopeNames) {
    return createKey(workspace, name, scopeNames, "tbk_" + randomToken());
  }

  /** A key whose secret the caller chose (the demo derives its key, so it stays the same across restarts). */
  public synchronized CreatedKey createKey(String workspace, String name, List<String> scopeNames, String secret) {
    requireWorkspace(workspace);
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
    ApiKey k = new ApiKey("key_" + HexFormat.of().formatHex(randomBytes(8)), workspace, name, Set.copyOf(scopes), sha256(secret), now(), null);
    keysById.put(k.id(), k);
    reindex();
    save();
    return new CreatedKey(k, secret);
  }

  /**
   * Revokes a key at once: the next request with it is refused, and every revocation listener
   * (open streams, page sessions the key minted) is told after the change is saved.
   */
  public ApiKey revokeKey(String workspace, String keyId) {
    ApiKey revoked;
    synchronized (this) {
      requireWorkspace(workspace);
      ApiKey k = keysById.get(keyId);
      if (k == null || !k.workspace().equals(workspace)) throw new NotFoundException("no key '" + keyId + "' in workspace '" + workspace + "'");
      if (k.revoked()) return k;
      revoked = k.revoke(now());
      keysById.put(keyId, revoked);
      reindex();
      save();
    }
    for (java.util.function.Consumer<ApiKey> l : revocationListeners) l.accept(revoked);
    return revoked;
  }

  /** Calls {@code listener} with each key after it is revoked (outside this store's lock). */
  public void addRevocationListener(java.util.function.Consumer<ApiKey> listener) {
    revocationListeners.add(listener);
  }

  /** Whether the credential with this key id may still be used: the admin key, or a known key not revoked. */
  public synchronized boolean isActive(String keyId) {
    if ("admin".equals(keyId)) return adminKeyHash != null;
    ApiKey k = keysById.get(keyId);
    return k != null && !k.revoked();
  }

  /** The key whose secret this is, revoked or not, if any. */
  public Optional<ApiKey> keyBySecret(String secret) {
    return Optional.ofNullable(keysByHash.get(sha256(secret)));
  }

  public synchronized List<ApiKey> keys(String workspace) {
    requireWorkspace(workspace);
    return keysById.values().stream().filter(k -> k.workspace().equals(workspace)).toList();
  }

  private void requireWorkspace(String workspace) {
    if (!workspaces.containsKey(workspace)) throw new NotFoundException("no workspace '" + workspace + "'");
  }

  private void reindex() {
    Map<String, ApiKey> m = new HashMap<>();
    for (ApiKey k : keysById.values()) m.put(k.secretHash(), k);
    keysByHash = Map.copyOf(m);
  }

  private void save() {
    State st = new State(adminKeyHash, List.copyOf(workspaces.values()), List.copyOf(keysById.values()));
    try {
      AtomicFiles.replace(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(FORMAT.stamp(Json.MAPPER.valueToTree(st))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private String now() {
    return DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.MILLIS));
  }

  static String sha256(String secret) {
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
