package org.trailbook.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.CollectionTerminatedException;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortedNumericSelector;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;

/**
 * Runs {@link PageRequest}s: the top of the index-sorted order (which Lucene can stop early on), then reads only the
 * page's entries from the journal by seq. Facets and the capped total are one pass over doc values.
 */
public final class EventSearch {
  public static final int MAX_EXACT_TOTAL = 10_000;
  public static final int MAX_FACET_VALUES = 100;
  private static final Sort ASC = new Sort(
      LongField.newSortField(Fields.TIME, false, SortedNumericSelector.Type.MIN),
      LongField.newSortField(Fields.SEQ, false, SortedNumericSelector.Type.MIN));

  private static final Sort BY_SEQ = new Sort(LongField.newSortField(Fields.SEQ, false, SortedNumericSelector.Type.MIN));

  private final SearchIndex index;

  public EventSearch(SearchIndex index) {
    this.index = index;
  }

  static Sort ascending() {
    return ASC;
  }

  public SearchIndex index() {
    return index;
  }

  public SearchPage page(PageRequest r) {
    Query query = QueryTranslator.filter(r.filter());
    try {
      IndexSearcher s = index.acquire();
      try {
        Sort sort = r.ascending() ? ASC : SearchIndex.INDEX_SORT;
        // (time, seq) is unique in a workspace; the largest doc id makes the cursor's own entry count as already seen
        FieldDoc after = r.after() == null ? null : new FieldDoc(Integer.MAX_VALUE, Float.NaN, new Object[] {r.after().time(), r.after().seq()});
        int n = r.limit() + 1;
        TopFieldDocs top = s.search(query, new TopFieldCollectorManager(sort, n, after, n));
        EventStore store = index.store();
        int hits = Math.min(r.limit(), top.scoreDocs.length);
        long[] seqs = new long[hits];
        Cursor next = null;
        for (int i = 0; i < hits; i++) {
          Object[] fields = ((FieldDoc) top.scoreDocs[i]).fields;
          seqs[i] = (Long) fields[1];
          if (i == r.limit() - 1 && top.scoreDocs.length > r.limit()) next = new Cursor((Long) fields[0], seqs[i]);
        }
        List<Entry> events = store.readSeqs(r.filter().workspace(), seqs); // one read for the page, in hit order
        Long total = null;
        boolean lowerBound = false;
        if (r.count()) {
          long c = count(s, query, MAX_EXACT_TOTAL + 1);
          lowerBound = c > MAX_EXACT_TOTAL;
          total = Math.min(c, MAX_EXACT_TOTAL);
        }
        Map<String, List<SearchPage.FacetCount>> facets = r.facets().isEmpty() ? Map.of() : facets(s, query, r.facets());
        return new SearchPage(events, next, total, lowerBound, facets);
      } finally {
        index.release(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("search failed", e);
    }
  }

  /**
   * The seqs of the entries matching {@code filter} with {@code after < seq < end}, ascending, at most {@code limit}:
   * one page of a scan in log order (the live stream and the exports). The caller makes sure the index shows every
   * entry below {@code end} ({@link SearchIndex#awaitVisible}).
   */
  public long[] seqs(EventFilter filter, long after, long end, int limit) {
    if (end <= after + 1) return new long[0];
    Query query = bySeq(filter, after, end);
    try {
      IndexSearcher s = index.acquire();
      try {
        TopFieldDocs top = s.search(query, new TopFieldCollectorManager(BY_SEQ, limit, null, limit));
        long[] out = new long[top.scoreDocs.length];
        for (int i = 0; i < out.length; i++) out[i] = (Long) ((FieldDoc) top.scoreDocs[i]).fields[0];
        return out;
      } finally {
        index.release(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("search failed", e);
    }
  }

  /** How many entries match {@code filter} with {@code seq < end}, counted up to {@code cap}. */
  public long count(EventFilter filter, long end, long cap) {
    if (end <= 0) return 0;
    try {
      IndexSearcher s = index.acquire();
      try {
        return count(s, bySeq(filter, -1, end), cap);
      } finally {
        index.release(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("search failed", e);
    }
  }

  private static Query bySeq(EventFilter filter, long after, long end) {
    return new org.apache.lucene.search.BooleanQuery.Builder()
        .add(QueryTranslator.filter(filter), org.apache.lucene.search.BooleanClause.Occur.FILTER)
        .add(LongField.newRangeQuery(Fields.SEQ, after + 1, end - 1), org.apache.lucene.search.BooleanClause.Occur.FILTER)
        .build();
  }

  /** Matching documents, counted up to {@code cap}. */
  static long count(IndexSearcher s, Query query, long cap) throws IOException {
    return s.search(query, new CollectorManager<CappedCount, Long>() {
      @Override
      public CappedCount newCollector() {
        return new CappedCount(cap);
      }

      @Override
      public Long reduce(Collection<CappedCount> collectors) {
        long sum = 0;
        for (CappedCount c : collectors) sum += c.count;
        return Math.min(sum, cap);
      }
    });
  }

  private static final class CappedCount implements Collector {
    private final long cap;
    long count;

    CappedCount(long cap) {
      this.cap = cap;
    }

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext context) {
      if (count >= cap) throw new CollectionTerminatedException();
      return new LeafCollector() {
        @Override
        public void setScorer(Scorable scorer) {}

        @Override
        public void collect(int doc) {
          if (++count >= cap) throw new CollectionTerminatedException();
        }
      };
    }

    @Override
    public ScoreMode scoreMode() {
      return ScoreMode.COMPLETE_NO_SCORES;
    }
  }

  private static Map<String, List<SearchPage.FacetCount>> facets(IndexSearcher s, Query query, List<String> dims) throws IOException {
    Map<String, Map<String, Long>> counts = s.search(query, new CollectorManager<FacetCollector, Map<String, Map<String, Long>>>() {
      @Override
      public FacetCollector newCollector() {
        return new FacetCollector(dims);
      }

      @Override
      public Map<String, Map<String, Long>> reduce(Collection<FacetCollector> collectors) {
        Map<String, Map<String, Long>> all = new HashMap<>();
        for (FacetCollector c : collectors) {
          c.counts.forEach((dim, m) -> m.forEach((v, n) -> all.computeIfAbsent(dim, k -> new HashMap<>()).merge(v, n, Long::sum)));
        }
        return all;
      }
    });
    Map<String, List<SearchPage.FacetCount>> out = new LinkedHashMap<>();
    for (String dim : dims) {
      List<SearchPage.FacetCount> values = new ArrayList<>();
      counts.getOrDefault(dim, Map.of()).forEach((v, n) -> values.add(new SearchPage.FacetCount(v, n)));
      values.sort((a, b) -> a.count() != b.count() ? Long.compare(b.count(), a.count()) : a.value().compareTo(b.value()));
      out.put(dim, List.copyOf(values.subList(0, Math.min(MAX_FACET_VALUES, values.size()))));
    }
    return out;
  }

  /** Counts the ordinals of each dimension per segment, then resolves the ones seen to strings. */
  private static final class FacetCollector implements Collector {
    private final List<String> dims;
    final Map<String, Map<String, Long>> counts = new HashMap<>();

    FacetCollector(List<String> dims) {
      this.dims = dims;
    }

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
      int d = dims.size();
      SortedSetDocValues[] values = new SortedSetDocValues[d];
      long[][] ords = new long[d][];
      for (int i = 0; i < d; i++) {
        values[i] = DocValues.getSortedSet(context.reader(), Fields.facetField(dims.get(i)));
        ords[i] = new long[(int) values[i].getValueCount()];
      }
      return new LeafCollector() {
        @Override
        public void setScorer(Scorable scorer) {}

        @Override
        public void collect(int doc) throws IOException {
          for (int i = 0; i < d; i++) {
            if (values[i].advanceExact(doc)) {
              for (int k = 0, n = values[i].docValueCount(); k < n; k++) ords[i][(int) values[i].nextOrd()]++;
            }
          }
        }

        @Override
        public void finish() throws IOException {
          for (int i = 0; i < d; i++) {
            Map<String, Long> m = counts.computeIfAbsent(dims.get(i), k -> new HashMap<>());
            for (int o = 0; o < ords[i].length; o++) {
              if (ords[i][o] > 0) m.merge(values[i].lookupOrd(o).utf8ToString(), ords[i][o], Long::sum);
            }
          }
        }
      };
    }

    @Override
    public ScoreMode scoreMode() {
      return ScoreMode.COMPLETE_NO_SCORES;
    }
  }
}
