package org.trailbook.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * RFC 4180 output: CRLF line ends; a field is quoted (with inner quotes doubled) when it holds a comma, a quote, CR or
 * LF. Against spreadsheet formula injection, a text cell starting with {@code =}, {@code +}, {@code -}, {@code @}, tab
 * or CR gets a leading {@code '} (OWASP's advice); cells from JSON numbers are left alone.
 */
final class CsvWriter {
  private final OutputStream out;

  CsvWriter(OutputStream out) {
    this.out = out;
  }

  void header(List<String> names) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) b.append(',');
      field(b, neutralise(names.get(i)));
    }
    line(b);
  }

  void row(List<CsvColumns.Cell> cells) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) b.append(',');
      CsvColumns.Cell c = cells.get(i);
      field(b, c.number() ? c.text() : neutralise(c.text()));
    }
    line(b);
  }

  private void line(StringBuilder b) throws IOException {
    b.append("\r\n");
    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  static String neutralise(String text) {
    if (text.isEmpty()) return text;
    char c = text.charAt(0);
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + text : text;
  }

  private static void field(StringBuilder b, String text) {
    boolean quote = false;
    for (int i = 0; i < text.length() && !quote; i++) {
      char c = text.charAt(i);
      quote = c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    if (!quote) {
      b.append(text);
      return;
    }
    b.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') b.append('"');
      b.append(c);
    }
    b.append('"');
  }
}
