package org.trailbook.access;

import java.util.Set;

/**
 * A workspace API key as stored: never the secret, only its SHA-256 (keys are 256 random bits, so
 * a fast hash is as strong as a slow one here).
 */
public record ApiKey(String id, String workspace, String name, Set<Scope> scopes, String secretHash, String createdAt, String revokedAt) {
  public boolean revoked() {
    return revokedAt != null;
  }

  ApiKey revoke(String at) {
    return new ApiKey(id, workspace, name, scopes, secretHash, createdAt, at);
  }
}
