package org.trailbook.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.function.Supplier;
import org.trailbook.Json;
import org.trailbook.access.AccessDeniedException;
import org.trailbook.access.Credential;
import org.trailbook.access.Person;
import org.trailbook.access.Scope;
import org.trailbook.ingest.IngestService;
import org.trailbook.ui.SessionStore;
import org.trailbook.ui.UiAssets;
import org.trailbook.ui.UiConfig;
import org.trailbook.ui.ViewerSession;
import org.trailbook.ui.ViewerTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The web page and how people get in: a host application mints a viewer token with an admin key
 * ({@code POST /v1/viewer-tokens}), the person opens {@code /ui/login?token=…}, which redeems the
 * token once (for good: the store remembers it), opens a session on the server, sets its cookie and
 * records the sign-in in the workspace's log, then the page at {@code /ui/}. Login links are built
 * from {@code TRAILBOOK_PUBLIC_URL}, else from the address the server itself was reached on, never
 * from the request's {@code Host} header; the cookie is {@code Secure} when the public URL is https.
 */
final class UiRoutes {
  private final Authenticator auth;
  private final ViewerTokens tokens;
  private final SessionStore sessions;
  private final IngestService ingest;
  private final UiConfig config;
  private final UiAssets assets = new UiAssets();
  private final Supplier<List<ApiRoutes.Route>> routes;
  /**
   * Viewer tokens per workspace: each one can be redeemed once, and each redemption appends a
   * sign-in (or refused sign-in) entry to the workspace's log, so the tokens bound those writes.
   * A host application mints one when a person opens the page: 60 at once, then one a second, is
   * far above what people do and keeps a leaked admin key from filling the log with sign-ins.
   */
  static final int MINTS_BURST = 60;
  private final RateLimiter mints = new RateLimiter(1, MINTS_BURST, System::nanoTime);

  UiRoutes(Authenticator auth, ViewerTokens tokens, SessionStore sessions, IngestService ingest, UiConfig config, Supplier<List<ApiRoutes.Route>> routes) {
    this.auth = auth;
    this.tokens = tokens;
    this.sessions = sessions;
    this.ingest = ingest;
    this.config = config;
    this.routes = routes;
  }

  void register(ApiRoutes r) {
    r.post("/v1/viewer-tokens", this::mint);
    r.get("/v1/ui/config", this::pageConfig);
    r.get("/ui/login", this::login);
    r.get("/ui/", this::index);
    r.get("/ui/assets/{file}", this::asset);
  }

  private void mint(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.ADMIN);
    try {
      mints.acquire(c.workspace());
    } catch (RateLimiter.RateLimitedException e) {
      throw new RateLimiter.RateLimitedException("too many viewer tokens minted for this workspace: the limit is " + MINTS_BURST
          + " at once, then 1 per second (each sign-in is recorded in the log)", e.retryAfterSeconds);
    }
    ObjectNode body = Requests.jsonObject(ctx);
    JsonNode actor = body.path("actor");
    Person person = new Person(text(actor, "id"), text(actor, "email"), text(actor, "name"));
    JsonNode ttl = body.get("ttl_seconds");
    long ttlSeconds = ttl == null || ttl.isNull() ? 3600 : ttl.canConvertToLong() && ttl.isIntegralNumber() ? ttl.asLong() : -1;
    String token = tokens.mint(c.workspace(), person, Requests.optionalString(body, "role"), ttlSeconds, c.keyId());
    String base = config.publicUrl() != null ? config.publicUrl() : ownAddress(ctx);
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("token", token);
    out.put("url", base + "/ui/login?token=" + token);
    out.put("expires_at", java.time.Instant.ofEpochSecond(tokens.now() + ttlSeconds).toString());
    ctx.status(201).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(out));
  }

  /**
   * The address this request reached the server on: the socket's own local address and port, as
   * the server sees them, never the client's {@code Host} or forwarding headers.
   */
  private static String ownAddress(Context ctx) {
    String host = ctx.req().getLocalAddr();
    if (host.contains(":") && !host.startsWith("[")) host = "[" + host.replaceFirst("%.*$", "") + "]";
    return (ctx.req().isSecure() ? "https" : "http") + "://" + host + ":" + ctx.req().getLocalPort();
  }

  private static String text(JsonNode node, String field) {
    JsonNode n = node.get(field);
    if (n == null || n.isNull()) return null;
    if (!n.isString()) {
      throw new org.trailbook.InvalidInputException("invalid_viewer_token", "the viewer token request is invalid",
          List.of(org.trailbook.Problem.of("actor." + field, "must be a string")));
    }
    return n.asString();
  }

  /** What the page needs to know: who is signed in, resource link templates, which optional APIs exist. */
  private void pageConfig(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.READ);
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("workspace", c.workspace());
    if (c.person() != null) {
      out.putObject("person").put("id", c.person().id()).put("email", c.person().email()).put("name", c.person().name());
    }
    out.set("resource_urls", Json.MAPPER.valueToTree(config.resourceUrls()));
    List<ApiRoutes.Route> served = routes.get();
    ObjectNode features = out.putObject("features");
    features.put("stats", served.contains(new ApiRoutes.Route("get", "/v1/stats")));
    features.put("proof", served.contains(new ApiRoutes.Route("get", "/v1/events/{id}/proof")));
    features.put("log_key", served.contains(new ApiRoutes.Route("get", "/v1/log/key")));
    features.put("stream", served.contains(new ApiRoutes.Route("get", "/v1/events/stream")));
    features.put("exports", served.contains(new ApiRoutes.Route("post", "/v1/exports")));
    features.put("retention", served.contains(new ApiRoutes.Route("get", "/v1/workspaces/{ws}/retention")));
    ctx.contentType("application/json").result(Json.MAPPER.writeValueAsBytes(out));
  }

  private void login(Context ctx) {
    pageHeaders(ctx);
    ViewerSession token;
    try {
      token = tokens.verify(ctx.queryParam("token"));
      if (!auth.keyActive(token.mintedBy())) {
        html(ctx, 401, UiAssets.messagePage("This sign-in link is no longer valid", "The API key that created it has been revoked.",
            "Open the Activity Log again from your application to get a new link."));
        return;
      }
      sessions.redeem(token);
    } catch (ViewerTokens.RejectedException e) {
      String[] text = switch (e.failure()) {
        case EXPIRED -> new String[] {"This sign-in link has expired", "Sign-in links are short-lived."};
        case ALREADY_USED -> new String[] {"This sign-in link was already used", "Each sign-in link works once."};
        case BAD_SIGNATURE, MALFORMED -> new String[] {"This sign-in link is not valid", "It was altered, cut short, or not issued by this server."};
      };
      html(ctx, 401, UiAssets.messagePage(text[0], text[1], "Open the Activity Log again from your application to get a new link."));
      return;
    }
    if (!token.role().canReadLog()) {
      ingest.record(token.workspace(), List.of(SessionEvents.signIn(ctx, token, null)));
      html(ctx, 403, UiAssets.messagePage("Only Admins and Owners can open the Activity Log",
          "Your role in this workspace is " + token.role().wireName() + ". The Activity Log is an oversight tool for the people running the workspace.",
          "Ask an Owner or Admin of the workspace if you need to see it."));
      return;
    }
    SessionStore.Opened opened = sessions.start(token);
    try {
      ingest.record(token.workspace(), List.of(SessionEvents.signIn(ctx, token, opened.session().id())));
    } catch (RuntimeException e) {
      sessions.end(token.workspace(), opened.session().id(), SessionStore.EndReason.SIGNED_OUT); // no unrecorded sign-in
      throw e;
    }
    // Secure by the configured public URL, never by a header the client could forge
    boolean secure = config.publicUrl() != null && config.publicUrl().startsWith("https://") || ctx.req().isSecure();
    ctx.header("Set-Cookie", ViewerTokens.COOKIE + "=" + tokens.cookieValue(opened.session().id(), opened.secret()) + "; Path=/; Max-Age="
        + ViewerTokens.SESSION_TTL.toSeconds() + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
    html(ctx, 200, UiAssets.continuePage(opened.session().who()));
  }

  private void index(Context ctx) {
    pageHeaders(ctx);
    try {
      auth.workspaceKey(ctx, Scope.READ);
    } catch (AccessDeniedException e) {
      if (e.unauthenticated()) {
        html(ctx, 401, UiAssets.messagePage("Sign in through your application",
            "The Activity Log opens from a sign-in link that your application creates for you; your session is missing or has expired.",
            "Go back to your application and open the Activity Log from there."));
      } else {
        html(ctx, 403, UiAssets.messagePage("Only Admins and Owners can open the Activity Log", e.getMessage(),
            "Ask an Owner or Admin of the workspace if you need to see it."));
      }
      return;
    }
    html(ctx, 200, assets.index());
  }

  private void asset(Context ctx) {
    UiAssets.Asset a = assets.asset(ctx.pathParam("file"))
        .orElseThrow(() -> new org.trailbook.NotFoundException("no such file of the web page: " + ctx.pathParam("file")));
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType(a.contentType()).result(a.bytes());
  }

  private static void pageHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", UiAssets.CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
  }

  private static void html(Context ctx, int status, byte[] page) {
    ctx.status(status).contentType("text/html; charset=utf-8").result(page);
  }
}
