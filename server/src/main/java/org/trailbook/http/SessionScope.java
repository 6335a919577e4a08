package org.trailbook.http;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.trailbook.access.Credential;

/**
 * {@code scope=mine} for a web-page session: the signed-in person's own events, matched by actor id
 * or email, whatever {@code actor} the request names. API keys name the actor themselves.
 */
final class SessionScope {
  private SessionScope() {}

  static Map<String, List<String>> params(Context ctx, Credential c) {
    Map<String, List<String>> params = ctx.queryParamMap();
    if (c.person() == null || !List.of("mine").equals(params.get("scope"))) return params;
    List<String> me = new ArrayList<>();
    me.add(c.person().id());
    if (c.person().email() != null) me.add(c.person().email());
    Map<String, List<String>> out = new LinkedHashMap<>(params);
    out.put("actor", me);
    return out;
  }
}
