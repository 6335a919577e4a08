package org.trailbook.search;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.trailbook.search.QueryNode.And;
import org.trailbook.search.QueryNode.Match;
import org.trailbook.search.QueryNode.Not;
import org.trailbook.search.QueryNode.Op;
import org.trailbook.search.QueryNode.Or;
import org.trailbook.search.QueryNode.Range;
import org.trailbook.search.QueryNode.Text;
import org.trailbook.search.QueryNode.Value;

/**
 * A recursive-descent parser for the search language (docs/search.md):
 *
 * <pre>
 * query   := or EOF
 * or      := and ("OR" and)*
 * and     := unary (["AND"] unary)*
 * unary   := "-" unary | "NOT" unary | primary
 * primary := "(" or ")" | '"' phrase '"' | field ":" value | word
 * value   := ("&gt;" | "&gt;=" | "&lt;" | "&lt;=") word | '"' phrase '"' | item ("," item)*
 * </pre>
 *
 * Every error is a {@link QuerySyntaxException} naming the 1-based position and what was expected; length, term count
 * and nesting depth are capped so no input can exhaust the stack or the index.
 */
public final class QueryParser {
  public static final int MAX_LENGTH = 2000;
  public static final int MAX_TERMS = 64;
  public static final int MAX_DEPTH = 16;
  private static final Pattern PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_@$-]+)*");
  private static final Pattern FIELD_LIKE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.@$-]*");

  private final String in;
  private int pos;
  private int terms;

  private QueryParser(String in) {
    this.in = in;
  }

  /** The query, or {@code null} for a blank one (which filters nothing). */
  public static QueryNode parse(String q) {
    if (q == null) return null;
    if (q.length() > MAX_LENGTH) throw new QuerySyntaxException("the query is longer than " + MAX_LENGTH + " characters", MAX_LENGTH + 1);
    QueryParser p = new QueryParser(q);
    p.skipSpace();
    if (p.atEnd()) return null;
    QueryNode node = p.or(0);
    p.skipSpace();
    if (!p.atEnd()) throw p.error("unexpected ')'");
    return node;
  }

  private QueryNode or(int depth) {
    List<QueryNode> parts = new ArrayList<>();
    parts.add(and(depth));
    while (true) {
      skipSpace();
      if (!keyword("OR")) break;
      pos += 2;
      skipSpace();
      if (atEnd() || peek() == ')' || keyword("OR") || keyword("AND")) throw error("expected a term after 'OR'");
      parts.add(and(depth));
    }
    return parts.size() == 1 ? parts.getFirst() : new Or(List.copyOf(parts));
  }

  private QueryNode and(int depth) {
    List<QueryNode> parts = new ArrayList<>();
    parts.add(unary(depth));
    while (true) {
      skipSpace();
      if (atEnd() || peek() == ')' || keyword("OR")) break;
      if (keyword("AND")) {
        pos += 3;
        skipSpace();
        if (atEnd() || peek() == ')' || keyword("OR") || keyword("AND")) throw error("expected a term after 'AND'");
      }
      parts.add(unary(depth));
    }
    return parts.size() == 1 ? parts.getFirst() : new And(List.copyOf(parts));
  }

  private QueryNode unary(int depth) {
    skipSpace();
    if (depth > MAX_DEPTH) throw error("the query is nested deeper than " + MAX_DEPTH + " levels");
    if (!atEnd() && peek() == '-') {
      pos++;
      if (atEnd() || Character.isWhitespace(peek())) throw error("expected a term after '-'");
      return new Not(unary(depth + 1));
    }
    if (keyword("NOT")) {
      pos += 3;
      skipSpace();
      if (atEnd() || peek() == ')' || keyword("OR") || keyword("AND")) throw error("expected a term after 'NOT'");
      return new Not(unary(depth + 1));
    }
    return primary(depth);
  }

  private QueryNode primary(int depth) {
    if (atEnd()) throw error("expected a term");
    char c = peek();
    if (c == '(') {
      pos++;
      skipSpace();
      if (!atEnd() && peek() == ')') throw error("expected a term inside '()'");
      if (atEnd()) throw error("expected a term after '('");
      QueryNode inner = or(depth + 1);
      skipSpace();
      if (atEnd() || peek() != ')') throw error("expected ')'");
      pos++;
      return inner;
    }
    if (c == ')') throw error("expected a term, found ')'");
    if (keyword("OR") || keyword("AND")) throw error("expected a term, found '" + (keyword("OR") ? "OR" : "AND") + "'");
    if (c == '"') {
      int at = pos;
      countTerm(at);
      String phrase = quoted();
      requireWords(phrase, at);
      return new Text(phrase, true);
    }
    int start = pos;
    String word = word();
    int colon = word.indexOf(':');
    boolean url = word.startsWith("//", colon + 1);
    if (colon > 0 && !url && FIELD_LIKE.matcher(word.substring(0, colon)).matches()) {
      return fieldTerm(word.substring(0, colon), word.substring(colon + 1), start, start + colon + 1);
    }
    countTerm(start);
    requireWords(word, start);
    return new Text(word, false);
  }

  private QueryNode fieldTerm(String field, String rest, int fieldAt, int valueAt) {
    checkField(field, fieldAt);
    if (rest.isEmpty()) {
      if (!atEnd() && peek() == '"') {
        int at = pos;
        countTerm(at);
        String phrase = quoted();
        if (Fields.TIME_PATHS.contains(field)) {
          if (TimeValue.parse(phrase).isEmpty()) throw errorAt("expected a time such as 2026-11-01 or 2026-11-01T10:00:00Z", at);
        } else if (field.equals("seq")) {
          if (Numbers.parse(phrase) == null) throw errorAt("expected a number", at);
        } else if (phrase.isEmpty()) {
          throw errorAt("expected a value inside the quotes", at);
        }
        return new Match(field, List.of(new Value(phrase, true, false)));
      }
      throw errorAt("expected a value after '" + field + ":'", valueAt);
    }
    Op op = null;
    for (Op o : new Op[] {Op.GE, Op.LE, Op.GT, Op.LT}) {
      if (rest.startsWith(o.symbol)) {
        op = o;
        break;
      }
    }
    if (op != null) {
      countTerm(valueAt);
      String v = rest.substring(op.symbol.length());
      int at = valueAt + op.symbol.length();
      if (Fields.TIME_PATHS.contains(field)) {
        if (TimeValue.parse(v).isEmpty()) throw errorAt("expected a time such as 2026-11-01 or 2026-11-01T10:00:00Z after '" + op.symbol + "'", at);
      } else if (Numbers.parse(v) == null) {
        throw errorAt("expected a number after '" + op.symbol + "'", at);
      }
      return new Range(field, op, v);
    }
    List<Value> values = new ArrayList<>();
    int at = valueAt;
    for (String item : rest.split(",", -1)) {
      countTerm(at);
      if (item.isEmpty()) throw errorAt("expected a value in the list", at);
      int star = item.indexOf('*');
      boolean prefix = star >= 0;
      if (prefix && star != item.length() - 1) throw errorAt("'*' is allowed only at the end of a value", at + star);
      String text = prefix ? item.substring(0, item.length() - 1) : item;
      if (Fields.TIME_PATHS.contains(field) || field.equals("seq")) {
        if (prefix) throw errorAt("'*' is not allowed in a " + field + " value", at + star);
        if (field.equals("seq") ? Numbers.parse(text) == null : TimeValue.parse(text).isEmpty()) {
          throw errorAt(field.equals("seq") ? "expected a number" : "expected a time such as 2026-11-01 or 2026-11-01T10:00:00Z", at);
        }
      }
      values.add(new Value(text, false, prefix));
      at += item.length() + 1;
    }
    return new Match(field, List.copyOf(values));
  }

  private void checkField(String field, int at) {
    if (!PATH.matcher(field).matches()) throw errorAt("expected a field name such as actor.email, found '" + field + "'", at);
    if (field.equals("ip")) return;
    String top = field.contains(".") ? field.substring(0, field.indexOf('.')) : field;
    if (!Fields.TOP_LEVEL.contains(top)) throw errorAt("unknown field '" + top + "'", at);
    if (Fields.OBJECTS.contains(field)) throw errorAt("'" + field + "' is an object: name one of its fields, such as " + field + "." + example(field), at);
    if (!field.equals(top) && !Fields.OBJECTS.contains(top) && !top.equals("actor")) throw errorAt("'" + top + "' has no fields", at);
  }

  private static String example(String object) {
    return switch (object) {
      case "resource" -> "id";
      case "context" -> "ip";
      case "changes" -> "fields";
      case "http" -> "method";
      case "webhook" -> "endpoint";
      case "job" -> "name";
      case "error" -> "message";
      default -> "plan";
    };
  }

  private void requireWords(String text, int at) {
    if (!TextAnalyzer.hasToken(text)) throw errorAt("expected letters or digits in '" + clip(text) + "'", at);
  }

  private String word() {
    int start = pos;
    while (!atEnd()) {
      char c = peek();
      if (Character.isWhitespace(c) || c == '(' || c == ')' || c == '"') break;
      pos++;
    }
    return in.substring(start, pos);
  }

  private String quoted() {
    int open = pos;
    pos++;
    int end = in.indexOf('"', pos);
    if (end < 0) throw errorAt("expected a closing '\"' for the quote opened at position " + (open + 1), in.length());
    String s = in.substring(pos, end);
    pos = end + 1;
    return s;
  }

  private boolean keyword(String k) {
    if (!in.startsWith(k, pos)) return false;
    int after = pos + k.length();
    return after == in.length() || Character.isWhitespace(in.charAt(after)) || in.charAt(after) == '(';
  }

  private void countTerm(int at) {
    if (++terms > MAX_TERMS) throw errorAt("the query has more than " + MAX_TERMS + " terms", at);
  }

  private void skipSpace() {
    while (!atEnd() && Character.isWhitespace(peek())) pos++;
  }

  private boolean atEnd() {
    return pos >= in.length();
  }

  private char peek() {
    return in.charAt(pos);
  }

  private QuerySyntaxException error(String what) {
    return errorAt(what, pos);
  }

  private static QuerySyntaxException errorAt(String what, int zeroBased) {
    return new QuerySyntaxException(what, zeroBased + 1);
  }

  private static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
