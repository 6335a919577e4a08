package org.trailbook.search;

import org.apache.lucene.document.LongField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.TermQuery;

/** The documents of one workspace's entries with seqs {@code first..last}: what the indexer deletes after a purge or a failed batch. */
final class SeqRange {
  private SeqRange() {}

  static BooleanQuery.Builder of(String workspace, long first, long last) {
    return new BooleanQuery.Builder()
        .add(new TermQuery(new Term(Fields.WORKSPACE, workspace)), BooleanClause.Occur.FILTER)
        .add(LongField.newRangeQuery(Fields.SEQ, first, last), BooleanClause.Occur.FILTER);
  }
}
