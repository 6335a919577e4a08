package org.trailbook.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.trailbook.InvalidInputException;
import org.trailbook.Json;
import org.trailbook.Problem;
import org.trailbook.search.EventFilter;
import org.trailbook.search.SearchParams;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What to export: the format, the filters (the query parameters of {@code GET /v1/events}, by the same names), the CSV
 * columns, the redaction profile, whether to wrap it in a verification bundle, and whether JSON is indented.
 */
public record ExportRequest(ExportFormat format, Map<String, List<String>> filters, CsvColumns columns, Redaction redaction,
    boolean includeProof, boolean pretty) {
  /** The parameters of {@code GET /v1/exports/download} that are not filters. */
  public static final Set<String> DOWNLOAD_PARAMS = Set.of("format", "pretty", "columns", "redaction");
  private static final Set<String> BODY_FIELDS = Set.of("format", "filters", "columns", "redaction", "include_proof", "pretty");

  public ExportRequest {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    filters.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    filters = java.util.Collections.unmodifiableMap(copy);
  }

  /** The filter these parameters describe; {@code now} resolves time presets such as {@code range=24h}. */
  public EventFilter filter(String workspace, long now) {
    return SearchParams.filter(filters, Set.of(), workspace, now);
  }

  /** From the query string of a direct download (never a bundle). */
  public static ExportRequest fromQuery(Map<String, List<String>> params) {
    Map<String, List<String>> filters = new LinkedHashMap<>();
    params.forEach((k, v) -> {
      if (!DOWNLOAD_PARAMS.contains(k)) filters.put(k, v);
    });
    ExportFormat format = ExportFormat.parse(single(params, "format"), "format");
    boolean pretty = bool(single(params, "pretty"), "pretty", false);
    List<String> columns = new ArrayList<>();
    for (String c : params.getOrDefault("columns", List.of())) for (String part : c.split(",")) if (!part.isBlank()) columns.add(part);
    return new ExportRequest(format, filters, CsvColumns.parse(columns, "columns"), Redaction.parse(single(params, "redaction"), "redaction"),
        false, pretty);
  }

  /** From the body of {@code POST /v1/exports}. */
  public static ExportRequest fromJson(JsonNode body) {
    if (body == null || !body.isObject()) throw ExportFormat.bad("body", "must be a JSON object");
    for (String name : body.propertyNames()) {
      if (!BODY_FIELDS.contains(name)) throw ExportFormat.bad(name, "is not a known field; known are " + String.join(", ", new java.util.TreeSet<>(BODY_FIELDS)));
    }
    ExportFormat format = ExportFormat.parse(text(body, "format"), "format");
    Map<String, List<String>> filters = new LinkedHashMap<>();
    JsonNode f = body.get("filters");
    if (f != null && !f.isNull()) {
      if (!f.isObject()) throw ExportFormat.bad("filters", "must be an object of filter names to a string or an array of strings");
      for (String name : f.propertyNames()) filters.put(name, strings(f.get(name), "filters." + name));
    }
    JsonNode cols = body.get("columns");
    List<String> columns = cols == null || cols.isNull() ? List.of() : strings(cols, "columns");
    if (cols != null && !cols.isNull() && !cols.isArray()) throw ExportFormat.bad("columns", "must be an array of strings");
    boolean includeProof = bool(body, "include_proof", format == ExportFormat.NDJSON);
    return new ExportRequest(format, filters, CsvColumns.parse(columns, "columns"), Redaction.parse(text(body, "redaction"), "redaction"),
        includeProof, bool(body, "pretty", false));
  }

  /** As stored with a job and shown in its status. */
  public ObjectNode toJson() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("format", format.wireName());
    ObjectNode f = o.putObject("filters");
    filters.forEach((k, v) -> {
      ArrayNode a = f.putArray(k);
      v.forEach(a::add);
    });
    ArrayNode c = o.putArray("columns");
    columns.paths().forEach(c::add);
    o.put("redaction", redaction.wireName());
    o.put("include_proof", includeProof);
    o.put("pretty", pretty);
    return o;
  }

  private static List<String> strings(JsonNode v, String field) {
    List<String> out = new ArrayList<>();
    if (v.isString()) {
      out.add(v.asString());
    } else if (v.isArray()) {
      for (JsonNode x : v) {
        if (!x.isString()) throw ExportFormat.bad(field, "must hold strings only");
        out.add(x.asString());
      }
    } else {
      throw ExportFormat.bad(field, "must be a string or an array of strings");
    }
    return out;
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isString()) throw ExportFormat.bad(field, "must be a string");
    return v.asString();
  }

  private static boolean bool(JsonNode body, String field, boolean dflt) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) return dflt;
    if (!v.isBoolean()) throw ExportFormat.bad(field, "must be true or false");
    return v.asBoolean();
  }

  private static boolean bool(String v, String field, boolean dflt) {
    if (v == null) return dflt;
    if (v.equals("true")) return true;
    if (v.equals("false")) return false;
    throw ExportFormat.bad(field, "must be 'true' or 'false'");
  }

  private static String single(Map<String, List<String>> params, String name) {
    List<String> v = params.getOrDefault(name, List.of());
    if (v.size() > 1) {
      throw new InvalidInputException("invalid_parameter", "invalid query parameter '" + name + "'", List.of(Problem.of(name, "must be given once")));
    }
    return v.isEmpty() || v.getFirst().isBlank() ? null : v.getFirst().strip();
  }

  /** Reads a request back from {@link #toJson()}. */
  static ExportRequest read(JsonNode o) {
    Map<String, List<String>> filters = new LinkedHashMap<>();
    JsonNode f = o.path("filters");
    for (String name : f.propertyNames()) filters.put(name, strings(f.get(name), name));
    return new ExportRequest(ExportFormat.parse(o.path("format").asString(), "format"), filters,
        CsvColumns.parse(strings(o.path("columns"), "columns"), "columns"), Redaction.parse(o.path("redaction").asString(), "redaction"),
        o.path("include_proof").asBoolean(), o.path("pretty").asBoolean());
  }
}
