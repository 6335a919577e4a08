package org.trailbook.search;

import java.util.List;

/** The parsed form of a search-language query ({@code q}); see docs/search.md. */
public sealed interface QueryNode {
  /** Every part must match. */
  record And(List<QueryNode> parts) implements QueryNode {}

  /** At least one part must match. */
  record Or(List<QueryNode> parts) implements QueryNode {}

  /** The inner query must not match. */
  record Not(QueryNode inner) implements QueryNode {}

  /** A free word (matched anywhere) or a quoted phrase (its words in a row within one value). */
  record Text(String text, boolean phrase) implements QueryNode {}

  /** {@code field:value[,value…]}: any of the values; a value may be a phrase or end in {@code *} (prefix). */
  record Match(String field, List<Value> values) implements QueryNode {}

  /** {@code field:>=value} and friends, on numbers and times. */
  record Range(String field, Op op, String value) implements QueryNode {}

  /** One value of a {@link Match}. */
  record Value(String text, boolean phrase, boolean prefix) {}

  /** A comparison of a {@link Range}. */
  enum Op {
    GT(">"), GE(">="), LT("<"), LE("<=");

    final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }
  }
}
