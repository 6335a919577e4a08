package org.trailbook.http;

import io.javalin.http.Context;
import org.trailbook.access.AccessDeniedException;
import org.trailbook.access.AccessStore;
import org.trailbook.access.Credential;
import org.trailbook.access.Scope;

/** Establishes the caller from {@code Authorization: Bearer …} and checks what it may do. */
final class Authenticator {
  private final AccessStore access;
  private final RateLimiter limiter;

  Authenticator(AccessStore access, RateLimiter limiter) {
    this.access = access;
    this.limiter = limiter;
  }

  Credential credential(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null) throw AccessDeniedException.unauthenticated("missing credential: send 'Authorization: Bearer <key>'");
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw AccessDeniedException.unauthenticated("unsupported authorization scheme: send 'Authorization: Bearer <key>'");
    }
    Credential c = access.authenticate(header.substring(7));
    limiter.acquire(c.keyId());
    return c;
  }

  /** A workspace key with {@code scope}; the workspace of every event call comes from here. */
  Credential workspaceKey(Context ctx, Scope scope) {
    Credential c = credential(ctx);
    if (c.platformAdmin()) {
      throw AccessDeniedException.forbidden("the platform admin key belongs to no workspace: use a workspace API key");
    }
    if (!c.has(scope)) throw AccessDeniedException.forbidden("this API key lacks the '" + scope.wireName() + "' scope");
    return c;
  }

  /** The platform admin key, or a workspace key with the admin scope acting on its own workspace. */
  Credential adminOf(Context ctx, String workspace) {
    Credential c = credential(ctx);
    if (c.platformAdmin()) return c;
    if (workspace != null && workspace.equals(c.workspace()) && c.has(Scope.ADMIN)) return c;
    throw AccessDeniedException.forbidden(workspace == null
        ? "only the platform admin key may do this"
        : "only the platform admin key or an 'admin' key of workspace '" + workspace + "' may do this");
  }
}
