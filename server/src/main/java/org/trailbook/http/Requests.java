package org.trailbook.http;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import org.trailbook.InvalidInputException;
import org.trailbook.Json;
import org.trailbook.Problem;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Small, strict readers of request parts, each failing with a 400 that names the field. */
final class Requests {
  private Requests() {}

  static ObjectNode jsonObject(Context ctx) {
    String type = mediaType(ctx);
    if (!type.equals("application/json")) {
      throw new UnsupportedMediaTypeException("send the body as JSON with 'Content-Type: application/json'");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body(ctx));
    } catch (JacksonException e) {
      throw new InvalidInputException("invalid_json", "the body is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) throw new InvalidInputException("invalid_json", "the body must be a JSON object");
    return (ObjectNode) node;
  }

  /** The whole request body, read through {@link BodyGate} (admitted, limited, timed). */
  static byte[] body(Context ctx) {
    try {
      return ctx.req().getInputStream() instanceof GatedBody g ? g.readFully() : ctx.bodyAsBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e); // GatedBody turns read failures into client errors; this is not one
    }
  }

  /** The lowercase media type without parameters, or "" if none was sent. */
  static String mediaType(Context ctx) {
    String ct = ctx.header("Content-Type");
    if (ct == null) return "";
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(java.util.Locale.ROOT);
  }

  static String optionalString(ObjectNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) return null;
    if (!n.isString()) throw new InvalidInputException("invalid_request", "the request is invalid", List.of(Problem.of(field, "must be a string")));
    return n.stringValue();
  }

  static List<String> stringList(ObjectNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) return List.of();
    if (!n.isArray()) throw new InvalidInputException("invalid_request", "the request is invalid", List.of(Problem.of(field, "must be an array of strings")));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      if (!n.get(i).isString()) {
        throw new InvalidInputException("invalid_request", "the request is invalid", List.of(Problem.of(field + "[" + i + "]", "must be a string")));
      }
      out.add(n.get(i).stringValue());
    }
    return out;
  }

  /** An integer query parameter within [min, max], or {@code dflt} when absent. */
  static int intParam(Context ctx, String name, int dflt, int min, int max) {
    String v = ctx.queryParam(name);
    return v == null || v.isEmpty() ? dflt : (int) parse(name, v, min, max);
  }

  /** A required integer query parameter within [min, max]. */
  static long longParam(Context ctx, String name, long min, long max) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) {
      throw new InvalidInputException("invalid_parameter", "missing query parameter '" + name + "'", List.of(Problem.of(name, "is required")));
    }
    return parse(name, v, min, max);
  }

  private static long parse(String name, String v, long min, long max) {
    try {
      long i = Long.parseLong(v);
      if (i >= min && i <= max) return i;
    } catch (NumberFormatException ignored) {
      // reported below with the rule
    }
    throw new InvalidInputException("invalid_parameter", "invalid query parameter '" + name + "'",
        List.of(Problem.of(name, "must be an integer from " + min + " to " + max)));
  }

}
