package org.trailbook.search;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;
import org.trailbook.journal.Purge;
import org.trailbook.retention.PurgeReason;
import org.trailbook.retention.Purger;
import tools.jackson.databind.JsonNode;

/**
 * The documents a purge removed from the log, found when the indexer meets the purge's record ({@code
 * audit_log.purged}, {@link Purger}) in the commit feed: on every node, in log order, and again after a rebuild (where
 * they were never indexed: then the deletion finds nothing). The record is trusted only when the store holds its purge
 * (same horizon, same reason), since any client may send an event with that action. What stays is what the purge kept:
 * entries of category {@code audit_log} received at or after the cutoff its reason names (all of them when none), so
 * the deletion is the same on every node whatever the clock.
 */
final class PurgedDocuments {

  private PurgedDocuments() {}

  /** The deletion the entry calls for if it is a purge's record, else null. */
  static Query deletion(EventStore store, Entry e) {
    if (!org.trailbook.verify.PurgedPrefix.mayBeRecord(e.canonical())) return null; // cheap: almost no entry is one
    JsonNode json = e.json();
    if (!Purger.ACTION.equals(json.path("action").asString("")) || !"audit_log".equals(json.path("category").asString(""))) return null;
    long toSeq = json.path("metadata").path("to_seq").asLong(-1);
    String reason = json.path("metadata").path("reason").asString("");
    Purge purge = store.purges(e.workspace()).stream().filter(p -> p.toSeq() == toSeq && p.reason().equals(reason)).findFirst().orElse(null);
    if (purge == null) return null;
    PurgeReason r = PurgeReason.parse(purge.reason());
    BooleanQuery.Builder kept = new BooleanQuery.Builder().add(new TermQuery(new Term(Fields.CATEGORY, "audit_log")), BooleanClause.Occur.FILTER);
    if (r != null && r.auditCutoff() != null) {
      kept.add(LongPoint.newRangeQuery(Fields.RECEIVED_AT, Instant.parse(r.auditCutoff()).toEpochMilli(), Long.MAX_VALUE), BooleanClause.Occur.FILTER);
    }
    return new BooleanQuery.Builder()
        .add(new TermQuery(new Term(Fields.WORKSPACE, e.workspace())), BooleanClause.Occur.FILTER)
        .add(LongField.newRangeQuery(Fields.SEQ, 0, toSeq - 1), BooleanClause.Occur.FILTER)
        .add(kept.build(), BooleanClause.Occur.MUST_NOT)
        .build();
  }
}
