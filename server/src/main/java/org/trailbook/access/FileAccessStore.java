package org.trailbook.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.AtomicFiles;
import org.trailbook.ConflictException;
import org.trailbook.Json;
import org.trailbook.JsonFileFormat;

/**
 * The embedded {@link AccessStore}: workspaces, API keys and the platform admin key, kept in {@code
 * DIR/access/state.json}. Small and rarely written, so every change rewrites the file atomically
 * (temp file, fsync, rename). Secrets are never stored: only their SHA-256. The file starts with its
 * format header ({@code "format":"trailbook.access","version":1}); a file without one (version 0) is
 * upgraded by rewriting it with the header when it is opened.
 */
public final class FileAccessStore implements AccessStore {
  private static final Logger log = LoggerFactory.getLogger(FileAccessStore.class);
  /** The header of state.json; version 0 is the same object without it. */
  static final JsonFileFormat FORMAT = new JsonFileFormat("trailbook.access", 1);

  /** What is persisted. */
  record State(String adminKeyHash, List<Workspace> workspaces, List<ApiKey> keys) {}

  private final Path file;
  private final Clock clock;
  private String adminKeyHash;
  private final Map<String, Workspace> workspaces = new LinkedHashMap<>();
  private final Map<String, ApiKey> keysById = new LinkedHashMap<>();
  private volatile Map<String, ApiKey> keysByHash = Map.of();
  private final List<Consumer<ApiKey>> revocationListeners = new CopyOnWriteArrayList<>();

  private FileAccessStore(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  public static FileAccessStore open(Path dir, Clock clock) {
    FileAccessStore s = new FileAccessStore(dir.resolve("state.json"), clock);
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

  @Override
  public synchronized Optional<String> initAdminKey(String configured) {
    if (adminKeyHash != null) return Optional.empty();
    String key = AccessRules.given(configured) ? configured : AccessRules.newAdminKey();
    adminKeyHash = AccessRules.sha256(key);
    save();
    return AccessRules.given(configured) ? Optional.empty() : Optional.of(key);
  }

  @Override
  public synchronized String resetAdminKey(String configured) {
    String key = AccessRules.given(configured) ? configured.strip() : AccessRules.newAdminKey();
    adminKeyHash = AccessRules.sha256(key);
    save();
    return key;
  }

  @Override
  public Credential authenticate(String token) {
    String hash = AccessRules.tokenHash(token);
    if (hash.equals(adminKeyHash)) return Credential.admin();
    return AccessRules.credentialOf(keysByHash.get(hash));
  }

  @Override
  public synchronized Workspace createWorkspace(String id, String name) {
    AccessRules.checkWorkspace(id, name);
    if (workspaces.containsKey(id)) throw new ConflictException("workspace '" + id + "' already exists");
    Workspace w = new Workspace(id, name == null ? id : name, AccessRules.now(clock));
    workspaces.put(id, w);
    save();
    return w;
  }

  @Override
  public synchronized List<Workspace> workspaces() {
    return List.copyOf(workspaces.values());
  }

  @Override
  public synchronized Optional<Workspace> workspace(String id) {
    return Optional.ofNullable(workspaces.get(id));
  }

  @Override
  public synchronized CreatedKey createKey(String workspace, String name, List<String> scopeNames, String secret) {
    requireWorkspace(workspace);
    Set<Scope> scopes = AccessRules.checkKey(name, scopeNames);
    ApiKey k = new ApiKey(AccessRules.newKeyId(), workspace, name, scopes, AccessRules.sha256(secret), AccessRules.now(clock), null);
    keysById.put(k.id(), k);
    reindex();
    save();
    return new CreatedKey(k, secret);
  }

  @Override
  public ApiKey revokeKey(String workspace, String keyId) {
    ApiKey revoked;
    synchronized (this) {
      requireWorkspace(workspace);
      ApiKey k = keysById.get(keyId);
      if (k == null || !k.workspace().equals(workspace)) throw AccessRules.noKey(workspace, keyId);
      if (k.revoked()) return k;
      revoked = k.revoke(AccessRules.now(clock));
      keysById.put(keyId, revoked);
      reindex();
      save();
    }
    for (Consumer<ApiKey> l : revocationListeners) l.accept(revoked);
    return revoked;
  }

  @Override
  public void addRevocationListener(Consumer<ApiKey> listener) {
    revocationListeners.add(listener);
  }

  @Override
  public synchronized boolean isActive(String keyId) {
    if ("admin".equals(keyId)) return adminKeyHash != null;
    ApiKey k = keysById.get(keyId);
    return k != null && !k.revoked();
  }

  @Override
  public Optional<ApiKey> keyBySecret(String secret) {
    return Optional.ofNullable(keysByHash.get(AccessRules.sha256(secret)));
  }

  @Override
  public synchronized List<ApiKey> keys(String workspace) {
    requireWorkspace(workspace);
    return keysById.values().stream().filter(k -> k.workspace().equals(workspace)).toList();
  }

  private void requireWorkspace(String workspace) {
    if (!workspaces.containsKey(workspace)) throw AccessRules.noWorkspace(workspace);
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
}
