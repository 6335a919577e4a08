package org.trailbook.search;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.trailbook.search.QueryNode.Op;

/** Builds Lucene queries from an {@link EventFilter} and the parsed search language; nothing is parsed by Lucene. */
final class QueryTranslator {
  private QueryTranslator() {}

  static Query filter(EventFilter f) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(new TermQuery(new Term(Fields.WORKSPACE, f.workspace())), Occur.FILTER);
    if (f.from() != null || f.to() != null) {
      long lo = f.from() == null ? Long.MIN_VALUE : f.from();
      long hi = f.to() == null ? Long.MAX_VALUE : f.to() - 1;
      b.add(lo > hi ? new MatchNoDocsQuery() : LongField.newRangeQuery(Fields.TIME, lo, hi), Occur.FILTER);
    }
    set(b, Fields.TYPE, f.types());
    set(b, Fields.CATEGORY, f.categories());
    set(b, Fields.STATUS, f.statuses());
    set(b, Fields.LAYER, f.layers());
    set(b, Fields.ACTOR_TYPE, f.actorTypes());
    set(b, Fields.RESOURCE_TYPE, f.resourceTypes());
    set(b, Fields.IP, f.ips());
    if (!f.resourceIds().isEmpty()) b.add(new TermInSetQuery(Fields.RESOURCE_ID, bytes(f.resourceIds())), Occur.FILTER);
    if (!f.actions().isEmpty()) {
      BooleanQuery.Builder any = new BooleanQuery.Builder();
      for (String a : f.actions()) {
        any.add(a.endsWith("*") ? new PrefixQuery(new Term(Fields.ACTION, a.substring(0, a.length() - 1)))
            : new TermQuery(new Term(Fields.ACTION, a)), Occur.SHOULD);
      }
      b.add(any.build(), Occur.FILTER);
    }
    if (!f.actors().isEmpty()) {
      BooleanQuery.Builder any = new BooleanQuery.Builder();
      any.add(KeywordField.newSetQuery(Fields.ACTOR_ID, bytes(f.actors())), Occur.SHOULD);
      any.add(KeywordField.newSetQuery(Fields.ACTOR_EMAIL, bytes(f.actors())), Occur.SHOULD);
      b.add(any.build(), Occur.FILTER);
    }
    if (f.q() != null) b.add(node(f.q()), Occur.FILTER);
    return b.build();
  }

  private static void set(BooleanQuery.Builder b, String field, Collection<String> values) {
    if (!values.isEmpty()) b.add(KeywordField.newSetQuery(field, bytes(values)), Occur.FILTER);
  }

  private static List<BytesRef> bytes(Collection<String> values) {
    List<BytesRef> out = new ArrayList<>(values.size());
    for (String v : values) out.add(new BytesRef(v));
    return out;
  }

  /** The search language, node by node. */
  static Query node(QueryNode n) {
    return switch (n) {
      case QueryNode.And and -> {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (QueryNode p : and.parts()) {
          if (p instanceof QueryNode.Not not) b.add(node(not.inner()), Occur.MUST_NOT);
          else b.add(node(p), Occur.FILTER);
        }
        if (and.parts().stream().allMatch(p -> p instanceof QueryNode.Not)) b.add(new MatchAllDocsQuery(), Occur.FILTER);
        yield b.build();
      }
      case QueryNode.Or or -> {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (QueryNode p : or.parts()) b.add(node(p), Occur.SHOULD);
        yield b.build();
      }
      case QueryNode.Not not -> new BooleanQuery.Builder()
          .add(new MatchAllDocsQuery(), Occur.FILTER).add(node(not.inner()), Occur.MUST_NOT).build();
      case QueryNode.Text t -> text(Fields.ALL, t.text());
      case QueryNode.Match m -> {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (QueryNode.Value v : m.values()) b.add(match(m.field(), v), Occur.SHOULD);
        yield b.build();
      }
      case QueryNode.Range r -> range(r.field(), r.op(), r.value());
    };
  }

  /** Words in a row (a single word is a term). */
  static Query text(String field, String text) {
    List<String> tokens = TextAnalyzer.tokens(text);
    if (tokens.isEmpty()) return new MatchNoDocsQuery();
    if (tokens.size() == 1) return new TermQuery(new Term(field, tokens.getFirst()));
    return new PhraseQuery(field, tokens.toArray(String[]::new));
  }

  private static Query match(String field, QueryNode.Value v) {
    if (Fields.TIME_PATHS.contains(field)) {
      TimeValue t = TimeValue.parse(v.text()).orElseThrow();
      return timeRange(field, t.start(), t.end() - 1);
    }
    if (field.equals("seq")) return LongField.newExactQuery(Fields.SEQ, (long) (double) Numbers.parse(v.text()));
    if (field.equals("actor")) {
      return or(match("actor.id", v), match("actor.email", v));
    }
    String path = field.equals("ip") ? "context.ip" : field;
    String lower = v.text().toLowerCase(Locale.ROOT);
    if (v.prefix()) return new PrefixQuery(new Term(Fields.KV, path + "=" + lower));
    Query exact = new TermQuery(new Term(Fields.KV, path + "=" + lower));
    Double number = v.phrase() ? null : Numbers.parse(v.text());
    if (number != null) {
      long h = Fields.pathHash(path);
      long s = Numbers.sortable(number);
      exact = or(exact, LongPoint.newRangeQuery(Fields.NUM, new long[] {h, s}, new long[] {h, s}));
    }
    if (Fields.TEXT_PATHS.contains(path) && TextAnalyzer.hasToken(v.text())) {
      exact = or(exact, text(Fields.TEXT_PREFIX + path, v.text()));
    }
    return exact;
  }

  private static Query range(String field, Op op, String value) {
    if (Fields.TIME_PATHS.contains(field)) {
      TimeValue t = TimeValue.parse(value).orElseThrow();
      long lo = Long.MIN_VALUE;
      long hi = Long.MAX_VALUE;
      switch (op) {
        case GT -> lo = t.end();
        case GE -> lo = t.start();
        case LT -> hi = t.start() - 1;
        case LE -> hi = t.end() - 1;
      }
      return timeRange(field, lo, hi);
    }
    double d = Numbers.parse(value);
    if (field.equals("seq")) {
      long lo = Long.MIN_VALUE;
      long hi = Long.MAX_VALUE;
      switch (op) {
        case GT -> lo = (long) Math.floor(d) + 1;
        case GE -> lo = (long) Math.ceil(d);
        case LT -> hi = (long) Math.ceil(d) - 1;
        case LE -> hi = (long) Math.floor(d);
      }
      return lo > hi ? new MatchNoDocsQuery() : LongField.newRangeQuery(Fields.SEQ, lo, hi);
    }
    String path = field.equals("ip") ? "context.ip" : field;
    long h = Fields.pathHash(path);
    long lo = Numbers.sortable(Double.NEGATIVE_INFINITY);
    long hi = Numbers.sortable(Double.POSITIVE_INFINITY);
    switch (op) {
      case GT -> lo = Numbers.sortable(Math.nextUp(d));
      case GE -> lo = Numbers.sortable(d);
      case LT -> hi = Numbers.sortable(Math.nextDown(d));
      case LE -> hi = Numbers.sortable(d);
    }
    if (field.equals("actor")) return new MatchNoDocsQuery();
    return LongPoint.newRangeQuery(Fields.NUM, new long[] {h, lo}, new long[] {h, hi});
  }

  private static Query timeRange(String field, long lo, long hi) {
    if (lo > hi) return new MatchNoDocsQuery();
    return field.equals("time") ? LongField.newRangeQuery(Fields.TIME, lo, hi) : LongPoint.newRangeQuery(Fields.RECEIVED_AT, lo, hi);
  }

  private static Query or(Query a, Query b) {
    return new BooleanQuery.Builder().add(a, Occur.SHOULD).add(b, Occur.SHOULD).build();
  }
}
