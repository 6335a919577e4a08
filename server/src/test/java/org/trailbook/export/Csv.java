package org.trailbook.export;

import java.util.ArrayList;
import java.util.List;

/** A strict RFC 4180 parser for the tests: CRLF records, quoted fields with doubled quotes. */
final class Csv {
  private Csv() {}

  static List<List<String>> parse(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    boolean quoted = false;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i += 2;
        } else if (c == '"') {
          quoted = false;
          i++;
        } else {
          field.append(c);
          i++;
        }
      } else if (c == '"' && field.isEmpty()) {
        quoted = true;
        i++;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
        i++;
      } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i += 2;
      } else if (c == '\n' || c == '\r' || c == '"') {
        throw new IllegalArgumentException("bare " + (int) c + " outside quotes at " + i);
      } else {
        field.append(c);
        i++;
      }
    }
    if (quoted || !field.isEmpty() || !row.isEmpty()) throw new IllegalArgumentException("the last record does not end with CRLF");
    return rows;
  }
}
