package org.trailbook.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;
import org.trailbook.InvalidInputException;
import org.trailbook.Problem;

/**
 * {@code GET /v1/stats}: one pass over the doc values of the matching documents (time, class bits, category, IP,
 * actor) gives the KPIs, the series, the top actors and the categories; one count gives the previous window. No entry
 * is read from the journal.
 */
public final class Stats {
  public static final int MAX_BUCKETS = 5000;
  public static final int TOP_ACTORS = 4;
  private final SearchIndex index;

  public Stats(SearchIndex index) {
    this.index = index;
  }

  public StatsResult compute(StatsRequest r) {
    Query query = QueryTranslator.filter(r.filter());
    try {
      IndexSearcher s = index.acquire();
      try {
        long start;
        long end = r.windowEnd();
        if (r.windowStart() != null) {
          start = r.windowStart();
        } else {
          Long earliest = edge(s, query, false);
          Long latest = edge(s, query, true);
          start = earliest == null ? end - 1 : earliest;
          if (latest != null) end = Math.max(end, latest + 1);
        }
        // the series covers a sane window; the KPIs still count the whole filter (events outside the series window
        // land in its first or last bucket)
        StatsWindow window = StatsWindow.of(start, end, r.now());
        start = window.start();
        end = window.end();
        Bucket bucket = r.bucket() != null ? r.bucket() : Bucket.forWindow(end - start);
        long first = bucket.floor(start);
        long buckets = (end - 1 - first) / bucket.millis + 1;
        if (buckets > MAX_BUCKETS) {
          throw new InvalidInputException("invalid_parameter", "too many buckets",
              List.of(Problem.of("bucket", "the window holds " + buckets + " " + bucket.wireName() + " buckets, more than " + MAX_BUCKETS
                  + ": choose a larger bucket or a shorter window")));
        }
        Pass pass = s.search(query, new PassManager(first, bucket.millis, (int) buckets));
        long previous = 0;
        Double change = null;
        if (r.windowStart() != null) {
          // the window as asked for, not as clamped: both ends are years 0000-9999, so this cannot overflow
          long asked = r.windowStart();
          long len = Math.max(1, r.windowEnd() - asked);
          previous = s.count(QueryTranslator.filter(r.filter().withTime(asked - len, asked)));
          if (previous > 0) change = Math.round((pass.total - previous) * 1000.0 / previous) / 10.0;
        }
        List<StatsResult.Point> series = new ArrayList<>();
        for (int i = 0; i < buckets; i++) series.add(new StatsResult.Point(first + i * bucket.millis, pass.auth[i], pass.write[i], pass.other[i]));
        List<StatsResult.CategoryCount> categories = new ArrayList<>();
        pass.categories.forEach((c, n) -> categories.add(new StatsResult.CategoryCount(c, n)));
        categories.sort((a, b) -> a.count() != b.count() ? Long.compare(b.count(), a.count()) : a.category().compareTo(b.category()));
        return new StatsResult(first, end, bucket, pass.total, previous, change, pass.signIns, pass.writes, pass.total - pass.signIns - pass.writes,
            pass.ips.size(), series, topActors(pass.actors), categories);
      } finally {
        index.release(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("stats failed", e);
    }
  }

  /** The earliest or latest matching time. */
  private static Long edge(IndexSearcher s, Query query, boolean latest) throws IOException {
    Sort sort = latest ? SearchIndex.INDEX_SORT : EventSearch.ascending();
    TopFieldDocs top = s.search(query, new TopFieldCollectorManager(sort, 1, null, 1));
    return top.scoreDocs.length == 0 ? null : (Long) ((FieldDoc) top.scoreDocs[0]).fields[0];
  }

  private static List<StatsResult.TopActor> topActors(Map<String, ActorAgg> actors) throws IOException {
    List<Map.Entry<String, ActorAgg>> all = new ArrayList<>(actors.entrySet());
    all.sort((a, b) -> {
      if (a.getValue().count != b.getValue().count) return Long.compare(b.getValue().count, a.getValue().count);
      if (a.getValue().lastSeen != b.getValue().lastSeen) return Long.compare(b.getValue().lastSeen, a.getValue().lastSeen);
      return a.getKey().compareTo(b.getKey());
    });
    List<StatsResult.TopActor> out = new ArrayList<>();
    for (Map.Entry<String, ActorAgg> e : all.subList(0, Math.min(TOP_ACTORS, all.size()))) {
      ActorAgg a = e.getValue();
      var reader = a.leaf.reader();
      String id = first(DocValues.getSortedSet(reader, Fields.ACTOR_ID), a.doc);
      String email = first(DocValues.getSortedSet(reader, Fields.ACTOR_EMAIL), a.doc);
      SortedDocValues names = DocValues.getSorted(reader, Fields.ACTOR_NAME);
      String name = names.advanceExact(a.doc) ? names.lookupOrd(names.ordValue()).utf8ToString() : null;
      out.add(new StatsResult.TopActor(id, name, email, a.count, a.lastSeen));
    }
    return out;
  }

  private static String first(SortedSetDocValues v, int doc) throws IOException {
    return v.advanceExact(doc) ? v.lookupOrd(v.nextOrd()).utf8ToString() : null;
  }

  private static final class ActorAgg {
    long count;
    long lastSeen = Long.MIN_VALUE;
    LeafReaderContext leaf;
    int doc;
  }

  private static final class Pass {
    final long[] auth;
    final long[] write;
    final long[] other;
    long total;
    long signIns;
    long writes;
    final Map<String, Long> categories = new HashMap<>();
    final Set<BytesRef> ips = new HashSet<>();
    final Map<String, ActorAgg> actors = new HashMap<>();

    Pass(int buckets) {
      auth = new long[buckets];
      write = new long[buckets];
      other = new long[buckets];
    }

    void add(Pass p) {
      for (int i = 0; i < auth.length; i++) {
        auth[i] += p.auth[i];
        write[i] += p.write[i];
        other[i] += p.other[i];
      }
      total += p.total;
      signIns += p.signIns;
      writes += p.writes;
      p.categories.forEach((c, n) -> categories.merge(c, n, Long::sum));
      ips.addAll(p.ips);
      p.actors.forEach((k, a) -> merge(k, a.count, a.lastSeen, a.leaf, a.doc));
    }

    void merge(String key, long count, long lastSeen, LeafReaderContext leaf, int doc) {
      ActorAgg agg = actors.computeIfAbsent(key, k -> new ActorAgg());
      agg.count += count;
      if (lastSeen > agg.lastSeen) {
        agg.lastSeen = lastSeen;
        agg.leaf = leaf;
        agg.doc = doc;
      }
    }
  }

  private record PassManager(long first, long width, int buckets) implements CollectorManager<PassCollector, Pass> {
    @Override
    public PassCollector newCollector() {
      return new PassCollector(this);
    }

    @Override
    public Pass reduce(Collection<PassCollector> collectors) {
      Pass all = new Pass(buckets);
      for (PassCollector c : collectors) all.add(c.pass);
      return all;
    }
  }

  private static final class PassCollector implements Collector {
    private final PassManager m;
    final Pass pass;

    PassCollector(PassManager m) {
      this.m = m;
      this.pass = new Pass(m.buckets);
    }

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
      var reader = context.reader();
      SortedNumericDocValues times = DocValues.getSortedNumeric(reader, Fields.TIME);
      NumericDocValues kinds = DocValues.getNumeric(reader, Fields.KIND);
      SortedSetDocValues categories = DocValues.getSortedSet(reader, Fields.CATEGORY);
      SortedSetDocValues ips = DocValues.getSortedSet(reader, Fields.IP);
      SortedSetDocValues actors = DocValues.getSortedSet(reader, Fields.ACTOR_KEY);
      SortedSetDocValues actorTypes = DocValues.getSortedSet(reader, Fields.ACTOR_TYPE);
      long system = actorTypes.lookupTerm(new BytesRef("system"));
      long[] categoryCounts = new long[(int) categories.getValueCount()];
      FixedBitSet ipSeen = new FixedBitSet((int) Math.max(1, ips.getValueCount()));
      int actorCount = (int) actors.getValueCount();
      long[] perActor = new long[actorCount];
      long[] lastSeen = new long[actorCount];
      int[] lastDoc = new int[actorCount];
      java.util.Arrays.fill(lastSeen, Long.MIN_VALUE);
      Pass p = pass;
      return new LeafCollector() {
        @Override
        public void setScorer(Scorable scorer) {}

        @Override
        public void collect(int doc) throws IOException {
          long t = times.advanceExact(doc) ? times.nextValue() : 0;
          int kind = kinds.advanceExact(doc) ? (int) kinds.longValue() : 0;
          long b = Math.floorDiv(t - m.first, m.width);
          int i = (int) Math.max(0, Math.min(m.buckets - 1, b));
          p.total++;
          if ((kind & EventClassifier.AUTH) != 0) p.auth[i]++;
          else if ((kind & EventClassifier.WRITE) != 0) p.write[i]++;
          else p.other[i]++;
          if ((kind & EventClassifier.SIGN_IN) != 0) p.signIns++;
          if ((kind & EventClassifier.WRITE) != 0) p.writes++;
          if (categories.advanceExact(doc)) categoryCounts[(int) categories.nextOrd()]++;
          if (ips.advanceExact(doc)) ipSeen.set((int) ips.nextOrd());
          if (actors.advanceExact(doc) && !(actorTypes.advanceExact(doc) && actorTypes.nextOrd() == system)) {
            int a = (int) actors.nextOrd();
            perActor[a]++;
            if (t > lastSeen[a]) {
              lastSeen[a] = t;
              lastDoc[a] = doc;
            }
          }
        }

        @Override
        public void finish() throws IOException {
          for (int o = 0; o < categoryCounts.length; o++) {
            if (categoryCounts[o] > 0) p.categories.merge(categories.lookupOrd(o).utf8ToString(), categoryCounts[o], Long::sum);
          }
          for (int o = ipSeen.nextSetBit(0); o < ipSeen.length() && o != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;
              o = o + 1 < ipSeen.length() ? ipSeen.nextSetBit(o + 1) : org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS) {
            p.ips.add(BytesRef.deepCopyOf(ips.lookupOrd(o)));
          }
          for (int a = 0; a < perActor.length; a++) {
            if (perActor[a] > 0) p.merge(actors.lookupOrd(a).utf8ToString(), perActor[a], lastSeen[a], context, lastDoc[a]);
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
