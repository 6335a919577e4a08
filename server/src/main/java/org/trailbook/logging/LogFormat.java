package org.trailbook.logging;

import java.util.Locale;
import java.util.Map;

/**
 * How log events are written: {@code text} (the default: a time, the level, the logger and the message) or {@code json}
 * (one JSON object per line, for log collectors). Chosen by {@value #VARIABLE}, as a system property or an environment
 * variable: the same lookup order as the {@code ${TRAILBOOK_LOG_FORMAT}} in {@code logback.xml}.
 */
public enum LogFormat {
  TEXT,
  JSON;

  /** The setting's name, as an environment variable or a system property. */
  public static final String VARIABLE = "TRAILBOOK_LOG_FORMAT";

  /** The format named by {@code value}: blank means the default, case and surrounding spaces do not matter. */
  public static LogFormat parse(String value) {
    if (value == null || value.isBlank()) return TEXT;
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException(VARIABLE + " must be 'text' or 'json', not '" + shown(value) + "'");
    };
  }

  /**
   * Why the configured format is not usable, or null when it is: checked before the first log line, so a typo is a clear
   * start error instead of a server that logs nothing (logback would only warn about its own configuration).
   */
  public static String problem(Map<String, String> env) {
    String value = System.getProperty(VARIABLE, env.get(VARIABLE));
    try {
      parse(value);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** The value as the operator wrote it, but short and printable, so the error message is one line too. */
  private static String shown(String value) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < value.length() && b.length() < 40; i++) {
      char c = value.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return value.length() > 40 ? b + "…" : b.toString();
  }
}
