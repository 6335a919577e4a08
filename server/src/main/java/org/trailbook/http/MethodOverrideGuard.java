package org.trailbook.http;

import io.javalin.http.Context;
import java.util.List;
import org.trailbook.InvalidInputException;
import org.trailbook.Problem;

/**
 * A GET is a GET. Javalin's router takes the method from {@code X-HTTP-Method-Override} when a
 * request sends it, so a GET could revoke a key and a POST could skip the page's CSRF check; this
 * refuses every method-override header and the {@code _method} query parameter with a 400 that
 * names it, before any route runs. (Form bodies are never read for a method: no route takes forms.)
 */
final class MethodOverrideGuard {
  static final List<String> HEADERS = List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");
  static final String PARAMETER = "_method";

  private MethodOverrideGuard() {}

  static void check(Context ctx) {
    for (String header : HEADERS) {
      if (ctx.req().getHeader(header) != null) refuse(header, "header");
    }
    if (ctx.queryParamMap().containsKey(PARAMETER)) refuse(PARAMETER, "query parameter");
  }

  private static void refuse(String name, String kind) {
    throw new InvalidInputException("method_override_refused", "the " + kind + " '" + name + "' is not accepted: send the request with its real HTTP method",
        List.of(Problem.of(name, "method overrides are refused; a request is served by its own method only")));
  }
}
