package org.trailbook.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The sorted dotted paths of the leaves that differ between {@code changes.before} and {@code
 * changes.after}: added, removed or changed. Objects are recursed into; anything else (arrays
 * included) is compared as a whole value at its path. An empty object counts as a leaf.
 */
final class ChangedFields {
  private ChangedFields() {}

  /** Either side may be null (absent), which compares like an empty object. */
  static List<String> between(JsonNode before, JsonNode after) {
    TreeSet<String> out = new TreeSet<>();
    diff("", before, after, out);
    return new ArrayList<>(out);
  }

  private static void diff(String path, JsonNode a, JsonNode b, TreeSet<String> out) {
    boolean aObject = a == null || a.isObject();
    boolean bObject = b == null || b.isObject();
    if (aObject && bObject) {
      if (!path.isEmpty() && (a == null || a.isEmpty()) && (b == null || b.isEmpty())) {
        if ((a == null) != (b == null)) out.add(path); // an empty object added or removed
        return;
      }
      if (a != null) {
        for (Map.Entry<String, JsonNode> e : a.properties()) {
          diff(join(path, e.getKey()), e.getValue(), b == null ? null : b.get(e.getKey()), out);
        }
      }
      if (b != null) {
        for (Map.Entry<String, JsonNode> e : b.properties()) {
          if (a == null || !a.has(e.getKey())) diff(join(path, e.getKey()), null, e.getValue(), out);
        }
      }
      return;
    }
    if (a == null || b == null || !same(a, b)) out.add(path);
  }

  /** Equal JSON values; numbers compare as the doubles they are serialized as (1 equals 1.0). */
  private static boolean same(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) return a.doubleValue() == b.doubleValue();
    return a.equals(b);
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
