package org.trailbook.http;

import io.javalin.http.Context;
import java.util.Set;
import org.trailbook.access.AccessDeniedException;
import org.trailbook.access.AccessStore;
import org.trailbook.access.Credential;
import org.trailbook.access.Scope;
import org.trailbook.ui.PageSession;
import org.trailbook.ui.SessionStore;
import org.trailbook.ui.ViewerTokens;

/**
 * Establishes the caller from {@code Authorization: Bearer …}, or else from the web page's session
 * cookie, and checks what it may do. A cookie stands only while its session is live in the
 * {@link SessionStore} and the key that minted its viewer token is not revoked.
 */
final class Authenticator {
  /** The header the page sends on every state-changing request: a cross-site form cannot. */
  static final String CSRF_HEADER = "X-Trailbook-CSRF";
  private final AccessStore access;
  private final RateLimiter limiter;
  private final ViewerTokens viewerTokens;
  private final SessionStore sessions;

  Authenticator(AccessStore access, RateLimiter limiter, ViewerTokens viewerTokens, SessionStore sessions) {
    this.access = access;
    this.limiter = limiter;
    this.viewerTokens = viewerTokens;
    this.sessions = sessions;
  }

  /** The caller, also left on the request for {@link BodyGate}: no body is read before this has succeeded. */
  Credential credential(Context ctx) {
    Credential c = establish(ctx);
    ctx.req().setAttribute(BodyGate.CREDENTIAL, c);
    return c;
  }

  private Credential establish(Context ctx) {
    String header = ctx.header("Authorization");
    String cookie = header == null ? ctx.cookie(ViewerTokens.COOKIE) : null;
    if (cookie != null) return sessionCredential(ctx, cookie);
    if (header == null) throw AccessDeniedException.unauthenticated("missing credential: send 'Authorization: Bearer <key>'");
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw AccessDeniedException.unauthenticated("unsupported authorization scheme: send 'Authorization: Bearer <key>'");
    }
    Credential c = access.authenticate(header.substring(7));
    limiter.acquire(c.keyId());
    return c;
  }

  /**
   * Whether a credential established earlier may still be used: long-lived work (a live stream)
   * re-checks it, so a revoked key or an ended session stops being served.
   */
  boolean stillValid(Credential c) {
    if (c.person() != null) {
      return sessions.live(PageSession.idOfKey(c.keyId())).filter(s -> access.isActive(s.mintedBy())).isPresent();
    }
    return access.isActive(c.keyId());
  }

  /** Whether an API key (by id) is known and not revoked: a viewer token of a revoked key opens nothing. */
  boolean keyActive(String keyId) {
    return access.isActive(keyId);
  }

  /**
   * The live page session of the request's cookie, for signing out: null if no cookie was sent;
   * refused (401) if it names no live session, and (403) without the CSRF header or from another origin.
   */
  PageSession cookieSession(Context ctx) {
    String cookie = ctx.cookie(ViewerTokens.COOKIE);
    if (cookie == null) return null;
    PageSession s = liveSession(cookie);
    checkSameOrigin(ctx);
    return s;
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

  /**
   * As {@link #adminOf}, and also a web-page session of that workspace: its Owners and Admins (the only roles a
   * session is given for) see and set the workspace's retention in the page, as themselves.
   */
  Credential adminOrPageOf(Context ctx, String workspace) {
    Credential c = credential(ctx);
    if (c.person() != null && workspace.equals(c.workspace())) return c;
    return adminOf(ctx, workspace);
  }

  /**
   * A web-page session: an Owner or Admin reads and exports its workspace's log as that person;
   * other roles get no API access. Requests that change state must prove they come from the page.
   */
  private Credential sessionCredential(Context ctx, String cookie) {
    PageSession s = liveSession(cookie);
    if (!s.role().canReadLog()) {
      throw AccessDeniedException.forbidden("only Admins and Owners may open the Activity Log; this session's role is '" + s.role().wireName() + "'");
    }
    checkSameOrigin(ctx);
    limiter.acquire(s.keyId());
    return new Credential(s.keyId(), s.workspace(), Set.of(Scope.READ, Scope.EXPORT), false, s.person());
  }

  private PageSession liveSession(String cookie) {
    ViewerTokens.SessionCookie named;
    try {
      named = viewerTokens.readCookie(cookie);
    } catch (ViewerTokens.RejectedException e) {
      throw AccessDeniedException.unauthenticated("your session is not valid (" + e.getMessage() + "): open the Activity Log again from your application");
    }
    return sessions.find(named.sessionId(), named.secret()).filter(s -> access.isActive(s.mintedBy()))
        .orElseThrow(() -> AccessDeniedException.unauthenticated("your session has ended or expired: open the Activity Log again from your application"));
  }

  /** Cookie-authenticated requests other than GET/HEAD need the CSRF header and, if sent, our own Origin. */
  private static void checkSameOrigin(Context ctx) {
    String method = ctx.req().getMethod(); // the request line's own method, never an override header
    if (method.equals("GET") || method.equals("HEAD")) return;
    String csrf = ctx.header(CSRF_HEADER);
    if (csrf == null || csrf.isBlank()) {
      throw AccessDeniedException.forbidden("a request that changes state with the session cookie must send the header '" + CSRF_HEADER + "'");
    }
    String origin = ctx.header("Origin");
    String host = ctx.header("Host");
    if (origin != null && (host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host)))) {
      throw AccessDeniedException.forbidden("a request with the session cookie must come from this server's own origin, not '" + origin + "'");
    }
  }
}
