package org.trailbook.export;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.trailbook.Json;
import tools.jackson.databind.JsonNode;

/**
 * The columns of a CSV export: dotted paths into the entry ({@code actor.email}, {@code http.status_code}, {@code
 * metadata.plan}, {@code webhook.attempts.0.status_code}), in the order given. A scalar becomes its text; an object or
 * array becomes its compact JSON; a missing value an empty cell. A key that itself contains dots ({@code
 * metadata."a.b"}) is found too: at each level the longest key that exists wins.
 */
public record CsvColumns(List<String> paths) {
  public static final int MAX_COLUMNS = 200;
  public static final CsvColumns DEFAULT = new CsvColumns(List.of("time", "type", "action", "category", "status", "actor.type", "actor.id",
      "actor.name", "actor.email", "resource.type", "resource.id", "resource.name", "context.ip", "summary"));

  public CsvColumns {
    paths = List.copyOf(paths);
  }

  /** Columns as a client gave them (null or empty: the default); a 400 naming {@code field} for a bad one. */
  public static CsvColumns parse(List<String> given, String field) {
    if (given == null || given.isEmpty()) return DEFAULT;
    if (given.size() > MAX_COLUMNS) throw ExportFormat.bad(field, "at most " + MAX_COLUMNS + " columns");
    Set<String> seen = new LinkedHashSet<>();
    for (String raw : given) {
      String p = raw == null ? "" : raw.strip();
      if (p.isEmpty() || p.length() > 256) throw ExportFormat.bad(field, "each column is a dotted path of 1 to 256 characters");
      if (p.startsWith(".") || p.endsWith(".") || p.contains("..")) throw ExportFormat.bad(field, "'" + p + "' has an empty path segment");
      for (int i = 0; i < p.length(); i++) {
        if (Character.isISOControl(p.charAt(i))) throw ExportFormat.bad(field, "column names must not contain control characters");
      }
      if (!seen.add(p)) throw ExportFormat.bad(field, "'" + p + "' is given twice");
    }
    return new CsvColumns(new ArrayList<>(seen));
  }

  /** The cell texts of one entry, one per column ({@link CsvWriter} quotes and neutralises them all alike). */
  List<String> cells(JsonNode entry) {
    List<String> out = new ArrayList<>(paths.size());
    for (String p : paths) out.add(cell(find(entry, p.split("\\."), 0)));
    return out;
  }

  private static String cell(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) return "";
    if (v.isString()) return v.asString();
    if (v.isNumber()) return v.toString();
    if (v.isBoolean()) return Boolean.toString(v.asBoolean());
    return Json.MAPPER.writeValueAsString(v);
  }

  private static JsonNode find(JsonNode at, String[] parts, int from) {
    if (from == parts.length) return at;
    if (at == null) return null;
    if (at.isObject()) {
      for (int to = parts.length; to > from; to--) {
        JsonNode child = at.get(String.join(".", java.util.Arrays.asList(parts).subList(from, to)));
        if (child != null) {
          JsonNode found = find(child, parts, to);
          if (found != null) return found;
        }
      }
      return null;
    }
    if (at.isArray() && parts[from].chars().allMatch(Character::isDigit) && parts[from].length() < 9) {
      return find(at.get(Integer.parseInt(parts[from])), parts, from + 1);
    }
    return null;
  }
}
