package org.trailbook.access;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Workspaces, their API keys and the platform admin key: the storage seam of access. Secrets are
 * never stored, only their SHA-256. {@link FileAccessStore} is the embedded default ({@code
 * DIR/access/state.json}); {@code org.trailbook.postgres.PostgresAccessStore} is shared by several
 * nodes. Both pass {@code AccessStoreContract}; the HTTP layer sees only this interface.
 */
public interface AccessStore extends AutoCloseable {
  /** A new key and its secret, which is shown once and never again. */
  record CreatedKey(ApiKey key, String secret) {}

  /**
   * Sets the platform admin key on the first start: {@code configured} if given, else a new random
   * one, which is returned so it can be shown once. Later starts (of any node) keep the stored hash
   * and return empty; exactly one admin key is ever made, even by nodes starting together.
   */
  Optional<String> initAdminKey(String configured);

  /**
   * Replaces the platform admin key (the server is stopped: {@code trailbook admin reset-key}):
   * {@code configured} if given, else a new random one, which is returned so it can be shown once.
   */
  String resetAdminKey(String configured);

  /** The credential a bearer token stands for; unknown or revoked tokens are refused (401). */
  Credential authenticate(String token);

  /** Creates a workspace; an invalid id or name is refused (400), an existing id conflicts (409). */
  Workspace createWorkspace(String id, String name);

  /** Every workspace, in the order they were created. */
  List<Workspace> workspaces();

  Optional<Workspace> workspace(String id);

  /** A key with a new random secret. */
  default CreatedKey createKey(String workspace, String name, List<String> scopeNames) {
    return createKey(workspace, name, scopeNames, AccessRules.newKeySecret());
  }

  /** A key whose secret the caller chose (the demo derives its key, so it stays the same across restarts). */
  CreatedKey createKey(String workspace, String name, List<String> scopeNames, String secret);

  /**
   * Revokes a key at once: the next request with it is refused, and every revocation listener
   * (open streams, page sessions the key minted) is told after the change is saved. Revoking a
   * revoked key changes nothing and answers it as it is.
   */
  ApiKey revokeKey(String workspace, String keyId);

  /** Calls {@code listener} with each key after it is revoked (outside any lock of the store). */
  void addRevocationListener(Consumer<ApiKey> listener);

  /** Whether the credential with this key id may still be used: the admin key, or a known key not revoked. */
  boolean isActive(String keyId);

  /** The key whose secret this is, revoked or not, if any. */
  Optional<ApiKey> keyBySecret(String secret);

  /** The workspace's keys, revoked ones too, in the order they were created. */
  List<ApiKey> keys(String workspace);

  /** Stops what the store runs in the background; the file store has nothing to stop. */
  @Override
  default void close() {}
}
