package org.trailbook.export;

import java.util.List;
import java.util.Locale;
import org.trailbook.InvalidInputException;
import org.trailbook.Problem;

/** The formats an export can take: NDJSON (the canonical entries byte for byte), a JSON array, or RFC 4180 CSV. */
public enum ExportFormat {
  NDJSON("application/x-ndjson"),
  JSON("application/json"),
  CSV("text/csv; charset=utf-8");

  private final String contentType;

  ExportFormat(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The format called {@code name}; a 400 naming {@code field} otherwise. */
  public static ExportFormat parse(String name, String field) {
    if (name == null || name.isBlank()) throw bad(field, "is required: one of ndjson, json, csv");
    for (ExportFormat f : values()) if (f.wireName().equals(name)) return f;
    throw bad(field, "'" + name + "' is not one of ndjson, json, csv");
  }

  static InvalidInputException bad(String field, String rule) {
    return new InvalidInputException("invalid_parameter", "invalid '" + field + "': " + rule, List.of(Problem.of(field, rule)));
  }
}
