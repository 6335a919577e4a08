package org.trailbook.search;

import org.apache.lucene.util.NumericUtils;

/** Numbers in queries and in {@link Fields#NUM} points: finite decimals, compared as doubles. */
final class Numbers {
  private Numbers() {}

  /** The value, or {@code null} if the text is not a finite decimal number. */
  static Double parse(String text) {
    if (text.isEmpty() || text.length() > 40) return null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9') && c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E') return null;
    }
    try {
      double d = Double.parseDouble(text);
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static long sortable(double d) {
    return NumericUtils.doubleToSortableLong(d == 0.0 ? 0.0 : d);
  }
}
