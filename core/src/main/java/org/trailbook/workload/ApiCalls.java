package org.trailbook.workload;

import java.util.Locale;
import org.trailbook.workload.Parts.Moment;
import org.trailbook.workload.Population.Actor;
import org.trailbook.workload.Population.Resource;
import tools.jackson.databind.node.ObjectNode;

/** {@code api_call} events: a REST request with headers, small bodies and a status code that matches the status. */
final class ApiCalls {
  static final String API_URL = "https://api.example.com/v1/";
  private static final String[] TYPES = {
    "contact", "contact", "contact", "contact", "contact", "conversation", "conversation", "ticket", "ticket",
    "invoice", "invoice", "campaign", "campaign", "segment", "template", "report", "user", "webhook", "integration",
    "api_key"
  };
  private static final int[] CLIENT_ERRORS = {400, 401, 403, 404, 404, 409, 422, 422, 429, 429};
  private static final int[] SERVER_ERRORS = {500, 500, 502, 503, 504};
  private static final String[] PRIORITIES = {"low", "normal", "normal", "high"};
  private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};

  private final Parts parts;

  ApiCalls(Parts parts) {
    this.parts = parts;
  }

  void fill(ObjectNode event, Moment m) {
    Rng rng = m.rng();
    String status = Parts.status(rng, 0.91, 0.06, 0.02, "pending");
    double who = rng.nextDouble();
    Actor actor = who < 0.45 ? parts.user(m) : who < 0.95 ? parts.apiKey(m) : parts.external(m);
    Resource resource = parts.resource(rng.pick(TYPES), m);
    String path = resource.url().substring(Population.APP_URL.length());
    String collection = path.substring(0, path.indexOf('/'));

    double op = rng.nextDouble();
    String method;
    String verb;
    String url;
    if (op < 0.2) {
      method = "GET";
      verb = "listed";
      url = API_URL + collection + "?limit=50&page=" + rng.between(1, 12);
    } else if (op < 0.5) {
      method = "GET";
      verb = "viewed";
      url = API_URL + path;
    } else if (op < 0.75) {
      method = "POST";
      verb = "created";
      url = API_URL + collection;
    } else if (op < 0.92) {
      method = "PATCH";
      verb = "updated";
      url = API_URL + path;
    } else {
      method = "DELETE";
      verb = "deleted";
      url = API_URL + path;
    }
    int code = switch (status) {
      case "success" -> method.equals("POST") ? 201 : method.equals("DELETE") ? 204 : 200;
      case "pending" -> 202;
      case "warning" -> 200;
      default -> rng.chance(0.7) ? rng.pick(CLIENT_ERRORS) : rng.pick(SERVER_ERRORS);
    };
    long latency = Math.round(switch (status) {
      case "warning" -> rng.skewed(2400, 0.35);
      case "failure" -> code == 504 ? 30_000 + rng.nextInt(200) : code >= 500 ? rng.skewed(800, 0.8) : rng.skewed(18, 0.5);
      default -> rng.skewed(45, 0.7);
    });
    String requestId = Parts.requestId(rng);

    event.put("action", resource.type() + "." + verb);
    event.put("status", status);
    event.set("actor", Parts.actor(actor));
    if (!verb.equals("listed")) event.set("resource", Parts.resourceWithoutUrl(resource));
    event.set("context", parts.context(actor, m, requestId));

    ObjectNode http = event.putObject("http");
    http.put("method", method).put("url", url).put("status_code", code).put("latency_ms", latency);
    ObjectNode request = http.putObject("request");
    ObjectNode headers = request.putObject("headers");
    if (rng.chance(0.3)) headers.put("authorization", "Bearer tbk_live_" + rng.hex(32));
    if (method.equals("POST") && rng.chance(0.5)) headers.put("idempotency-key", rng.hex(16));
    if (method.equals("POST") || method.equals("PATCH")) {
      headers.put("content-type", "application/json");
      requestBody(request.putObject("body"), resource, method, rng);
    }
    ObjectNode response = http.putObject("response");
    ObjectNode responseHeaders = response.putObject("headers");
    responseHeaders.put("x-ratelimit-remaining", Integer.toString(code == 429 ? 0 : rng.between(1, 600)));
    if (status.equals("warning")) responseHeaders.put("deprecation", "true");
    if (code != 204) responseBody(response.putObject("body"), resource, verb, code, rng);

    if (status.equals("warning")) {
      event.putObject("metadata")
          .put("api_version", "2024-06-01")
          .put("warning", "slow response; client uses a deprecated API version");
    }
  }

  private static void requestBody(ObjectNode body, Resource resource, String method, Rng rng) {
    switch (resource.type()) {
      case "contact" -> {
        body.put("email", resource.name().toLowerCase(Locale.ROOT).replace(' ', '.') + "@"
            + rng.pick(Words.COMPANY_DOMAINS));
        if (method.equals("POST")) body.put("name", resource.name());
        body.putArray("tags").add(rng.pick(Words.SEGMENT_NAMES).toLowerCase(Locale.ROOT).replace(' ', '-'));
      }
      case "campaign" -> body.put("name", resource.name()).put("status", "draft").put("segment_id", "seg_" + rng.nextInt(1500));
      case "ticket" -> body.put("subject", resource.name()).put("priority", rng.pick(PRIORITIES));
      case "invoice" -> body.put("currency", rng.pick(CURRENCIES)).put("amount_cents", rng.between(900, 250_000));
      default -> body.put("name", resource.name());
    }
  }

  private static void responseBody(ObjectNode body, Resource resource, String verb, int code, Rng rng) {
    if (code >= 400) {
      ObjectNode error = body.putObject("error");
      String kind = switch (code) {
        case 400 -> "bad_request";
        case 401 -> "unauthorized";
        case 403 -> "forbidden";
        case 404 -> "not_found";
        case 409 -> "conflict";
        case 422 -> "validation_failed";
        case 429 -> "rate_limited";
        default -> "internal_error";
      };
      error.put("code", kind);
      error.put("message", code == 404 ? "No such " + resource.type() + ": " + resource.id()
          : code >= 500 ? "Something went wrong on our side. Please retry." : kind.replace('_', ' '));
    } else if (code == 202) {
      body.put("id", "job_" + rng.hex(12)).put("status", "queued");
    } else if (verb.equals("listed")) {
      body.put("object", "list").put("count", 50).put("has_more", rng.chance(0.6));
    } else {
      body.put("id", resource.id()).put("object", resource.type());
    }
  }
}
