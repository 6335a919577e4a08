package org.trailbook.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.trailbook.search.QueryNode.And;
import org.trailbook.search.QueryNode.Match;
import org.trailbook.search.QueryNode.Not;
import org.trailbook.search.QueryNode.Op;
import org.trailbook.search.QueryNode.Or;
import org.trailbook.search.QueryNode.Range;
import org.trailbook.search.QueryNode.Text;
import org.trailbook.search.QueryNode.Value;

class QueryParserTest {
  static Text word(String w) {
    return new Text(w, false);
  }

  static Match match(String field, String... values) {
    return new Match(field, java.util.Arrays.stream(values).map(v -> new Value(v, false, false)).toList());
  }

  @Test
  void blankQueriesFilterNothing() {
    assertThat(QueryParser.parse(null)).isNull();
    assertThat(QueryParser.parse("")).isNull();
    assertThat(QueryParser.parse("  \t ")).isNull();
  }

  @Test
  void wordsPhrasesAndImplicitAnd() {
    assertThat(QueryParser.parse("summer")).isEqualTo(word("summer"));
    assertThat(QueryParser.parse(" summer  sale ")).isEqualTo(new And(List.of(word("summer"), word("sale"))));
    assertThat(QueryParser.parse("summer AND sale")).isEqualTo(new And(List.of(word("summer"), word("sale"))));
    assertThat(QueryParser.parse("\"Summer Sale\"")).isEqualTo(new Text("Summer Sale", true));
    assertThat(QueryParser.parse("admin@acme.com")).isEqualTo(word("admin@acme.com"));
    assertThat(QueryParser.parse("https://app.example.com/x")).isEqualTo(word("https://app.example.com/x"));
    assertThat(QueryParser.parse("or and not")).isEqualTo(new And(List.of(word("or"), word("and"), word("not"))));
  }

  @Test
  void orBindsLooserThanAndAndParenthesesGroup() {
    assertThat(QueryParser.parse("a OR b c")).isEqualTo(new Or(List.of(word("a"), new And(List.of(word("b"), word("c"))))));
    assertThat(QueryParser.parse("(a OR b) c")).isEqualTo(new And(List.of(new Or(List.of(word("a"), word("b"))), word("c"))));
    assertThat(QueryParser.parse("a OR b OR c")).isEqualTo(new Or(List.of(word("a"), word("b"), word("c"))));
  }

  @Test
  void negation() {
    assertThat(QueryParser.parse("-status:failure")).isEqualTo(new Not(match("status", "failure")));
    assertThat(QueryParser.parse("NOT a")).isEqualTo(new Not(word("a")));
    assertThat(QueryParser.parse("-(a OR b)")).isEqualTo(new Not(new Or(List.of(word("a"), word("b")))));
    assertThat(QueryParser.parse("-\"x y\"")).isEqualTo(new Not(new Text("x y", true)));
    assertThat(QueryParser.parse("a-b")).isEqualTo(word("a-b"));
  }

  @Test
  void fieldTerms() {
    assertThat(QueryParser.parse("actor.email:admin@acme.com")).isEqualTo(match("actor.email", "admin@acme.com"));
    assertThat(QueryParser.parse("status:failure,warning")).isEqualTo(match("status", "failure", "warning"));
    assertThat(QueryParser.parse("action:campaign.*")).isEqualTo(new Match("action", List.of(new Value("campaign.", false, true))));
    assertThat(QueryParser.parse("actor.name:\"Riley Park\"")).isEqualTo(new Match("actor.name", List.of(new Value("Riley Park", true, false))));
    assertThat(QueryParser.parse("metadata.plan:pro")).isEqualTo(match("metadata.plan", "pro"));
    assertThat(QueryParser.parse("http.request.headers.Content-Type:text/plain")).isEqualTo(match("http.request.headers.Content-Type", "text/plain"));
    assertThat(QueryParser.parse("ip:10.0.0.1")).isEqualTo(match("ip", "10.0.0.1"));
    assertThat(QueryParser.parse("actor:u_1")).isEqualTo(match("actor", "u_1"));
    assertThat(QueryParser.parse("time:2026-11-01T10:00:00Z")).isEqualTo(match("time", "2026-11-01T10:00:00Z"));
  }

  @Test
  void ranges() {
    assertThat(QueryParser.parse("http.status_code:>=500")).isEqualTo(new Range("http.status_code", Op.GE, "500"));
    assertThat(QueryParser.parse("http.latency_ms:>1000")).isEqualTo(new Range("http.latency_ms", Op.GT, "1000"));
    assertThat(QueryParser.parse("metadata.amount:<=-2.5")).isEqualTo(new Range("metadata.amount", Op.LE, "-2.5"));
    assertThat(QueryParser.parse("time:<2026-11-01")).isEqualTo(new Range("time", Op.LT, "2026-11-01"));
    assertThat(QueryParser.parse("received_at:>=2026-11-01T00:00:00+02:00")).isEqualTo(new Range("received_at", Op.GE, "2026-11-01T00:00:00+02:00"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "a OR                    | expected a term after 'OR' at position 5",
      "a OR )                  | expected a term after 'OR' at position 6",
      "a OR OR b               | expected a term after 'OR' at position 6",
      "a AND                   | expected a term after 'AND' at position 6",
      "- a                     | expected a term after '-' at position 2",
      "a -                     | expected a term after '-' at position 4",
      "NOT                     | expected a term after 'NOT' at position 4",
      "(summer OR sale         | expected ')' at position 16",
      "(a (b)                  | expected ')' at position 7",
      "()                      | expected a term inside '()' at position 2",
      "(                       | expected a term after '(' at position 2",
      "a)                      | unexpected ')' at position 2",
      ")                       | expected a term, found ')' at position 1",
      "OR a                    | expected a term, found 'OR' at position 1",
      "AND a                   | expected a term, found 'AND' at position 1",
      "`\"abc`                 | expected a closing '\"' for the quote opened at position 1 at position 5",
      "`\"\"`                  | expected letters or digits in '' at position 1",
      "!!!                     | expected letters or digits in '!!!' at position 1",
      "status:                 | expected a value after 'status:' at position 8",
      "status:a,,b             | expected a value in the list at position 10",
      "status:a,               | expected a value in the list at position 10",
      "action:cam*paign        | '*' is allowed only at the end of a value at position 11",
      "foo:bar                 | unknown field 'foo' at position 1",
      "http:x                  | 'http' is an object: name one of its fields, such as http.method at position 1",
      "type.x:y                | 'type' has no fields at position 1",
      "a..b:c                  | expected a field name such as actor.email, found 'a..b' at position 1",
      "http.status_code:>=abc  | expected a number after '>=' at position 20",
      "http.status_code:>      | expected a number after '>' at position 19",
      "time:>=yesterday        | expected a time such as 2026-11-01 or 2026-11-01T10:00:00Z after '>=' at position 8",
      "time:yesterday          | expected a time such as 2026-11-01 or 2026-11-01T10:00:00Z at position 6",
      "`time:\"soon\"`         | expected a time such as 2026-11-01 or 2026-11-01T10:00:00Z at position 6",
      "time:2026-11-01*        | '*' is not allowed in a time value at position 16",
      "seq:abc                 | expected a number at position 5",
      "`seq:\"x\"`             | expected a number at position 5",
      "`status:\"\"`           | expected a value inside the quotes at position 8",
  })
  void malformedQueriesNameThePositionAndWhatWasExpected(String q, String message) {
    assertThatThrownBy(() -> QueryParser.parse(q.strip().equals(q) ? q : q))
        .isInstanceOfSatisfying(QuerySyntaxException.class, e -> {
          assertThat(e.getMessage()).isEqualTo(message);
          assertThat(e.code()).isEqualTo("invalid_query");
          assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("q");
            assertThat(p.problem()).isEqualTo(message);
          });
        });
  }

  @Test
  void capsLengthTermsAndDepth() {
    assertThatThrownBy(() -> QueryParser.parse("a".repeat(QueryParser.MAX_LENGTH + 1)))
        .hasMessage("the query is longer than 2000 characters at position 2001");
    QueryParser.parse("a ".repeat(QueryParser.MAX_TERMS));
    assertThatThrownBy(() -> QueryParser.parse("a ".repeat(QueryParser.MAX_TERMS + 1)))
        .hasMessage("the query has more than 64 terms at position 129");
    assertThatThrownBy(() -> QueryParser.parse("status:" + "a,".repeat(QueryParser.MAX_TERMS) + "a"))
        .hasMessageStartingWith("the query has more than 64 terms");
    QueryParser.parse("(".repeat(QueryParser.MAX_DEPTH) + "a" + ")".repeat(QueryParser.MAX_DEPTH));
    assertThatThrownBy(() -> QueryParser.parse("(".repeat(QueryParser.MAX_DEPTH + 1) + "a" + ")".repeat(QueryParser.MAX_DEPTH + 1)))
        .hasMessage("the query is nested deeper than 16 levels at position 18");
    assertThatThrownBy(() -> QueryParser.parse("-".repeat(40) + "a")).hasMessageStartingWith("the query is nested deeper than 16 levels");
  }
}
