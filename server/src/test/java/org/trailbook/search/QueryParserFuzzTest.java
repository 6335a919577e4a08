package org.trailbook.search;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** No input makes the parser (or the translation to Lucene) do anything but answer with a query or a 400. */
class QueryParserFuzzTest {
  @Property(tries = 10000)
  void syntaxLikeStringsParseOrFailCleanly(@ForAll("syntaxy") String q) {
    check(q);
  }

  @Property(tries = 1000)
  void anyStringParsesOrFailsCleanly(@ForAll String q) {
    check(q);
  }

  static void check(String q) {
    try {
      QueryNode n = QueryParser.parse(q);
      if (n != null) assertThat(QueryTranslator.node(n)).isNotNull();
    } catch (QuerySyntaxException e) {
      assertThat(e.position()).isBetween(1, Math.max(1, q.length() + 1));
      assertThat(e.getMessage()).endsWith(" at position " + e.position());
    }
  }

  @Provide
  static Arbitrary<String> syntaxy() {
    Arbitrary<String> pieces = Arbitraries.of(
        "a", "summer", "c_42", "acme.com", "(", ")", "\"", " ", " ", "-", "OR", "AND", "NOT", ":", ",", "*", ">", ">=", "<", "<=",
        "status", "status:", "time:", "http.status_code:", "metadata.plan:", "actor:", "ip:", "seq:", "2026-11-01", "500", "-1.5e3",
        "foo:", "http:", "\"x y\"", "é", "\u0000", "\t", "//");
    return pieces.list().ofMaxSize(40).map(l -> String.join("", l));
  }
}
