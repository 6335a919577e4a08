package org.trailbook.server;

import java.util.Map;
import org.trailbook.TrailbookException;

/** Reading {@code TRAILBOOK_*} settings: a blank or missing value means the default; anything else must parse. */
public final class EnvVars {
  private EnvVars() {}

  public static long longVar(Map<String, String> env, String name, long dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) return dflt;
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw new TrailbookException(name + " must be an integer, not '" + v + "'");
    }
  }

  public static int intVar(Map<String, String> env, String name, int dflt) {
    long v = longVar(env, name, dflt);
    if (v != (int) v) throw new TrailbookException(name + " must be at most " + Integer.MAX_VALUE + ", not '" + env.get(name) + "'");
    return (int) v;
  }
}
