package org.trailbook.http;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.trailbook.InvalidInputException;
import org.trailbook.Json;
import org.trailbook.NotFoundException;
import org.trailbook.Problem;
import org.trailbook.access.Credential;
import org.trailbook.access.Scope;
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;
import org.trailbook.journal.Purge;
import org.trailbook.retention.Purger;
import org.trailbook.merkle.ConsistencyProof;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.InclusionProof;
import org.trailbook.verify.BundleWriter;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /v1/log/…} and {@code /v1/events/{id}/proof}: what an auditor needs to verify a workspace
 * log with only the public key — the verifier key, signed checkpoints, the canonical entries byte
 * for byte, and RFC 9162 inclusion and consistency proofs (scope {@code read}). Proofs may be asked
 * for any tree size up to the tree's current size; every signed checkpoint is within it.
 */
final class LogRoutes {
  static final int MAX_ENTRIES = 1000;
  private static final String TEXT = "text/plain; charset=utf-8";
  private final Authenticator auth;
  private final LogIntegrity integrity;
  private final EventStore store;

  LogRoutes(Authenticator auth, LogIntegrity integrity, EventStore store) {
    this.auth = auth;
    this.integrity = integrity;
    this.store = store;
  }

  void register(ApiRoutes r) {
    r.get("/v1/log/key", this::key);
    r.get("/v1/log/checkpoint", this::latestCheckpoint);
    r.get("/v1/log/checkpoints", this::checkpointAt);
    r.get("/v1/log/entries", this::entries);
    r.get("/v1/log/proof/inclusion", this::inclusion);
    r.get("/v1/log/proof/consistency", this::consistency);
    r.get("/v1/events/{id}/proof", this::eventProof);
  }

  private void key(Context ctx) {
    auth.workspaceKey(ctx, Scope.READ);
    ctx.contentType(TEXT).result(integrity.verifierKey() + "\n");
  }

  private void latestCheckpoint(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.READ);
    String note = integrity.latestCheckpoint(c.workspace())
        .orElseThrow(() -> new NotFoundException("no checkpoint has been signed for this workspace yet"));
    ctx.contentType(TEXT).result(note);
  }

  private void checkpointAt(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.READ);
    long size = Requests.longParam(ctx, "size", 1, Long.MAX_VALUE);
    String note = integrity.checkpointAt(c.workspace(), size)
        .orElseThrow(() -> new NotFoundException("no checkpoint was signed at tree size " + size + " for this workspace"));
    ctx.contentType(TEXT).result(note);
  }

  /** NDJSON of the canonical entries {@code start <= seq < end}, each line byte-identical to the hashed bytes. */
  private void entries(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.READ);
    long size = store.size(c.workspace());
    long start = Requests.longParam(ctx, "start", 0, Long.MAX_VALUE);
    long end = Requests.longParam(ctx, "end", 0, Long.MAX_VALUE);
    if (end <= start || end - start > MAX_ENTRIES) {
      throw invalid("end", "must be greater than start and at most start + " + MAX_ENTRIES + " (at most " + MAX_ENTRIES + " entries per call)");
    }
    if (end > size) throw invalid("end", "must be at most the log size " + size);
    List<Entry> entries = store.read(c.workspace(), start, end);
    if (entries.size() < end - start) gone(ctx, c.workspace(), firstMissing(entries, start));
    ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 512);
    for (Entry e : entries) {
      out.writeBytes(e.canonical());
      out.write('\n');
    }
    ctx.contentType("application/x-ndjson").result(out.toByteArray());
  }

  private static long firstMissing(List<Entry> entries, long start) {
    long expected = start;
    for (Entry e : entries) {
      if (e.seq() != expected) return expected;
      expected++;
    }
    return expected;
  }

  /**
   * 410 Gone for a range holding a purged seq: names the purge that moved the horizon past it (its range, its reason)
   * and the seq of its {@code audit_log.purged} record in the log, so a client can read why.
   */
  private void gone(Context ctx, String ws, long seq) {
    List<Purge> purges = store.purges(ws);
    int ordinal = 0;
    while (ordinal < purges.size() && purges.get(ordinal).toSeq() <= seq) ordinal++;
    if (ordinal == purges.size()) throw new IllegalStateException("seq " + seq + " of workspace " + ws + " is missing but no purge covers it");
    Purge purge = purges.get(ordinal);
    Long recordSeq = store.findById(ws, Purger.recordId(ws, ordinal, purge.toSeq())).map(Entry::seq).orElse(null);
    String message = "seq " + seq + " was purged: entries below seq " + purge.toSeq() + " were removed by retention (" + purge.reason() + ")"
        + (recordSeq == null ? "" : "; the purge is recorded at seq " + recordSeq);
    throw new PurgedException(message, purge, recordSeq);
  }

  /** A read of purged entries: 410 Gone (see {@link ErrorResponses}). */
  static final class PurgedException extends org.trailbook.TrailbookException {
    final Purge purge;
    final Long recordSeq;

    PurgedException(String message, Purge purge, Long recordSeq) {
      super(message);
      this.purge = purge;
      this.recordSeq = recordSeq;
    }
  }

  private void inclusion(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.READ);
    long treeSize = integrity.treeSize(c.workspace());
    long size = Requests.longParam(ctx, "size", 1, Long.MAX_VALUE);
    long index = Requests.longParam(ctx, "index", 0, Long.MAX_VALUE);
    if (size > treeSize) throw invalid("size", "must be at most the current tree size " + treeSize);
    if (index >= size) throw invalid("index", "must be less than size " + size);
    ctx.contentType("application/json").result(BundleWriter.proofLine(integrity.inclusionProof(c.workspace(), index, size)));
  }

  private void consistency(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.READ);
    long treeSize = integrity.treeSize(c.workspace());
    long from = Requests.longParam(ctx, "from", 1, Long.MAX_VALUE);
    long to = Requests.longParam(ctx, "to", 1, Long.MAX_VALUE);
    if (to > treeSize) throw invalid("to", "must be at most the current tree size " + treeSize);
    if (from > to) throw invalid("from", "must be at most to (" + to + ")");
    ConsistencyProof proof = integrity.consistencyProof(c.workspace(), from, to);
    ObjectNode o = Json.MAPPER.createObjectNode().put("from", from).put("to", to);
    hashes(o, proof.hashes());
    ctx.contentType("application/json").result(Json.MAPPER.writeValueAsBytes(o));
  }

  /** The entry, its leaf index, the latest checkpoint covering it (signed now if need be) and its inclusion proof. */
  private void eventProof(Context ctx) {
    Credential c = auth.workspaceKey(ctx, Scope.READ);
    Entry e = store.findById(c.workspace(), ctx.pathParam("id"))
        .orElseThrow(() -> new NotFoundException("no event with this id in the workspace"));
    LogIntegrity.EntryProof p = integrity.proofFor(c.workspace(), e.seq());
    InclusionProof proof = p.proof();
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("entry", new String(e.canonical(), StandardCharsets.UTF_8));
    o.put("leaf_index", e.seq());
    o.put("checkpoint", p.checkpoint());
    ObjectNode ip = o.putObject("inclusion_proof").put("index", proof.leafIndex()).put("size", proof.treeSize());
    hashes(ip, proof.hashes());
    ctx.contentType("application/json").result(Json.MAPPER.writeValueAsBytes(o));
  }

  private static void hashes(ObjectNode o, List<Hash> hashes) {
    ArrayNode a = o.putArray("hashes");
    for (Hash h : hashes) a.add(h.base64());
  }

  private static InvalidInputException invalid(String field, String rule) {
    return new InvalidInputException("invalid_parameter", "invalid query parameter '" + field + "': " + rule, List.of(Problem.of(field, rule)));
  }
}
