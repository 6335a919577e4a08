package org.trailbook.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * RFC 4180 output (UTF-8, CRLF line ends) that stays inert in spreadsheets, whatever list separator they split on.
 *
 * <ul>
 *   <li><b>Every cell is quoted</b> (inner quotes doubled), the header and numbers too. A spreadsheet whose list
 *       separator is {@code ;} then sees every {@code ;} of the file inside quotes: a line is one field for it, never
 *       a new field that starts inside a cell. A bare cell would break this: {@code -5,"x;=cmd"} read with {@code ;}
 *       is an unquoted field in which the {@code "} is literal, so {@code =cmd"} would start a field.</li>
 *   <li><b>Formula-leading cells get a leading {@code '}</b> (OWASP, CSV injection): a cell starting with tab or CR,
 *       or whose first character after whitespace and quotes is {@code =}, {@code +}, {@code -}, {@code @} or one of
 *       their full-width forms ({@code ＝ ＋ － ＠}, which some East-Asian spreadsheet locales also read as formula
 *       starts). Numbers are cells like the others ({@code -5} becomes {@code '-5}): as the first cell of a line read
 *       with {@code ;}, a bare minus would start a formula holding the rest of the line.</li>
 *   <li><b>The same guard after every {@code ;}, CR and LF inside a cell</b>: a parser that ignores quotes (or splits
 *       lines first) starts a field or record there, so {@code a;=cmd} is written {@code a;'=cmd}. Quoting alone
 *       covers quote-aware parsers; this covers the naive ones. Commas are not treated so, because RFC 4180 quoting
 *       is what every comma-splitting spreadsheet honours, and compact JSON cells ({@code [1,-2]}) stay intact.</li>
 * </ul>
 */
final class CsvWriter {
  private final OutputStream out;

  CsvWriter(OutputStream out) {
    this.out = out;
  }

  void header(List<String> names) throws IOException {
    row(names);
  }

  void row(List<String> cells) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) b.append(',');
      quoted(b, neutralise(cells.get(i)));
    }
    b.append("\r\n");
    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The cell's text with a {@code '} before a formula start and after each {@code ;}, CR or LF that precedes one. */
  static String neutralise(String text) {
    StringBuilder out = null;
    int copied = 0;
    for (int at = 0; at <= text.length(); at++) {
      // 'at' is where a spreadsheet could start reading a field: the cell's start, or just after ';', CR or LF
      boolean start = at == 0 || isBoundary(text.charAt(at - 1));
      if (!start || !formulaAhead(text, at, at == 0)) continue;
      if (out == null) out = new StringBuilder(text.length() + 4);
      out.append(text, copied, at).append('\'');
      copied = at;
    }
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }

  private static boolean isBoundary(char c) {
    return c == ';' || c == '\r' || c == '\n';
  }

  /** Whether a formula starts at {@code at}, after any whitespace and quotes (and, at the cell start, a tab or CR). */
  private static boolean formulaAhead(String text, int at, boolean cellStart) {
    if (at >= text.length()) return false;
    char first = text.charAt(at);
    if (cellStart && (first == '\t' || first == '\r')) return true;
    for (int i = at; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' || c == '\n') return false; // the next boundary is checked on its own
      if (c == '"' || Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF') continue;
      return isFormulaStart(c);
    }
    return false;
  }

  private static boolean isFormulaStart(char c) {
    return switch (c) {
      case '=', '+', '-', '@', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20' -> true;
      default -> false;
    };
  }

  private static void quoted(StringBuilder b, String text) {
    b.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') b.append('"');
      b.append(c);
    }
    b.append('"');
  }
}
