package org.trailbook.ui;

import org.trailbook.access.Person;

/**
 * A signed-in session of the web page, as the {@link SessionStore} keeps it: a person with a role
 * in one workspace, opened at {@code createdAt}, usable until {@code expiresAt} unless it is ended
 * first (all epoch seconds). {@code mintedBy} is the API key that minted the viewer token: revoking
 * it ends the session. {@code id} is public (lists, audit events, the credential's key id); the
 * cookie also carries a secret, which is kept only as its SHA-256.
 */
public record PageSession(String id, String workspace, Person person, Role role, long createdAt, long expiresAt, String mintedBy, long lastSeenAt) {
  /** The prefix of a session's credential key id. */
  public static final String KEY_PREFIX = "session:";

  /** The credential key id of this session ({@code session:<id>}): rate limits and streams count per session. */
  public String keyId() {
    return KEY_PREFIX + id;
  }

  /** The session id in a credential key id, or null if the key id is not a session's. */
  public static String idOfKey(String keyId) {
    return keyId != null && keyId.startsWith(KEY_PREFIX) ? keyId.substring(KEY_PREFIX.length()) : null;
  }

  /** The name to show for the person: name, else email, else id. */
  public String who() {
    return person.name() != null ? person.name() : person.email() != null ? person.email() : person.id();
  }

  PageSession seenAt(long now) {
    return new PageSession(id, workspace, person, role, createdAt, expiresAt, mintedBy, now);
  }
}
