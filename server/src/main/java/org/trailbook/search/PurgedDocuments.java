package org.trailbook.search;

import org.apache.lucene.document.LongField;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;
import org.trailbook.retention.Purger;
import tools.jackson.databind.JsonNode;

/**
 * The documents a purge removed from the log, found when the indexer meets the purge's record ({@code
 * audit_log.purged}, {@link Purger}) in the commit feed: on every node, in log order, and again after a rebuild (where
 * they were never indexed: then the deletion finds nothing). The record is trusted only when the store holds its purge
 * (same horizon, same reason). What stays is exactly what the store still holds below the purge's horizon (the access
 * trail it kept, read back now: few entries), so the index never drops an entry the log keeps, whatever rule kept it,
 * and drops the ones a later purge removed as well.
 */
final class PurgedDocuments {
  /** Read the kept entries below a horizon a page at a time. */
  private static final long PAGE = 65_536;

  private PurgedDocuments() {}

  /** The deletion the entry calls for if it is a purge's record, else null. */
  static Query deletion(EventStore store, Entry e) {
    if (!org.trailbook.verify.PurgedPrefix.mayBeRecord(e.canonical())) return null; // cheap: almost no entry is one
    JsonNode json = e.json();
    if (!Purger.ACTION.equals(json.path("action").asString("")) || !"audit_log".equals(json.path("category").asString(""))) return null;
    long toSeq = json.path("metadata").path("to_seq").asLong(-1);
    String reason = json.path("metadata").path("reason").asString(null);
    boolean held = store.purges(e.workspace()).stream().anyMatch(p -> p.toSeq() == toSeq && java.util.Objects.equals(p.reason(), reason));
    if (!held || toSeq <= 0) return null;
    BooleanQuery.Builder q = SeqRange.of(e.workspace(), 0, toSeq - 1);
    long[] kept = keptBelow(store, e.workspace(), toSeq);
    if (kept.length > 0) q.add(LongField.newSetQuery(Fields.SEQ, kept), BooleanClause.Occur.MUST_NOT);
    return q.build();
  }

  /** The seqs below {@code toSeq} the log still holds (below the horizon: the kept ones). */
  private static long[] keptBelow(EventStore store, String workspace, long toSeq) {
    java.util.stream.LongStream.Builder out = java.util.stream.LongStream.builder();
    for (long at = 0; at < toSeq; at += PAGE) {
      for (Entry k : store.read(workspace, at, Math.min(toSeq, at + PAGE))) out.add(k.seq());
    }
    return out.build().toArray();
  }
}
