package org.trailbook.access;

import java.util.Locale;

/** What a workspace API key may do. */
public enum Scope {
  INGEST, READ, EXPORT, ADMIN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope named {@code name}, or null if there is none. */
  public static Scope parse(String name) {
    for (Scope s : values()) if (s.wireName().equals(name)) return s;
    return null;
  }
}
