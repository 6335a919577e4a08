package org.trailbook.access;

import java.util.Set;

/**
 * Who is calling, as established from the bearer credential: the platform admin (no workspace),
 * or a workspace API key with its scopes. The workspace always comes from here, never from a body.
 * {@code person} is set only for a web-page session (viewer token), else null.
 */
public record Credential(String keyId, String workspace, Set<Scope> scopes, boolean platformAdmin, Person person) {
  public Credential(String keyId, String workspace, Set<Scope> scopes, boolean platformAdmin) {
    this(keyId, workspace, scopes, platformAdmin, null);
  }

  public static Credential admin() {
    return new Credential("admin", null, Set.of(Scope.values()), true);
  }

  public boolean has(Scope scope) {
    return scopes.contains(scope);
  }
}
