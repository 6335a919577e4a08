package org.trailbook.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.trailbook.Json;
import org.trailbook.journal.AppendResult;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EntryEncoder;
import org.trailbook.journal.GroupIds;
import org.trailbook.journal.IdConflictException;
import org.trailbook.journal.PendingEntry;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * One group commit of {@link PostgresEventStore} as one transaction: lock the head rows of the group's workspaces
 * ({@code FOR UPDATE}, in workspace order, so writers on several nodes never deadlock and never interleave within a
 * workspace), look the group's ids up, decide duplicates and conflicts exactly as the file journal does ({@link
 * GroupIds}), then write every new entry, its id and the new heads with one statement each (arrays through {@code
 * unnest}: the round trips are paid per group, not per event), bump the change id and NOTIFY in the same transaction.
 */
final class PostgresGroupCommit {
  /** The channel the commit feed listens on; the payload is the transaction's change id. */
  static final String CHANNEL = "trailbook_entries";

  record Request(String workspace, List<PendingEntry> entries, long bytes, CompletableFuture<List<AppendResult>> done) {}

  /**
   * What a committed group answers: per request, its results or its id conflict; the new entries in log order; the
   * transaction's change id (-1 when it stored nothing, so nothing was committed).
   */
  /** An entry this group stored: its place, its canonical bytes as hashed, and its leaf hash. */
  record CommittedRow(String workspace, long seq, String id, byte[] canonical, org.trailbook.merkle.Hash leafHash) {}

  record Outcome(List<List<AppendResult>> results, Map<Integer, IdConflictException> conflicts, List<CommittedRow> committed,
      long changeId, long bytes) {}

  private record Head(long size, Hash lastLeaf) {}

  private final TreeHasher hasher = new TreeHasher();

  /** Creates the head rows of workspaces not seen before, in their own (autocommitted) statement. */
  static void ensureHeads(Connection c, Set<String> workspaces) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO workspace_heads (workspace, size, last_leaf_hash, change_id) "
            + "SELECT w, 0, ?, 0 FROM unnest(?::text[]) AS t(w) ORDER BY w ON CONFLICT (workspace) DO NOTHING")) {
      s.setBytes(1, Hash.ZERO.toBytes());
      s.setArray(2, c.createArrayOf("text", new TreeSet<>(workspaces).toArray()));
      s.executeUpdate();
    }
  }

  /**
   * Runs the group's transaction on {@code c} (autocommit off, head rows existing) up to, not including, the commit.
   * The caller commits (or, when nothing was stored, rolls back) and then answers.
   */
  Outcome run(Connection c, List<Request> requests) throws SQLException {
    TreeSet<String> workspaces = new TreeSet<>();
    for (Request r : requests) workspaces.add(r.workspace());
    Map<String, Head> heads = lockHeads(c, workspaces);
    Map<String, Map<String, Entry>> stored = storedIds(c, requests);

    GroupIds ids = new GroupIds();
    List<List<AppendResult>> results = new ArrayList<>(requests.size());
    Map<Integer, IdConflictException> conflicts = new HashMap<>();
    List<CommittedRow> committed = new ArrayList<>();
    List<String> receivedAt = new ArrayList<>();
    long bytes = 0;
    for (Request r : requests) {
      Head head = heads.get(r.workspace());
      if (head == null) throw new IllegalStateException("no head row for a workspace of the group");
      Map<String, Entry> known = stored.getOrDefault(r.workspace(), Map.of());
      long[] earlier;
      try {
        earlier = ids.resolve(r.workspace(), r.entries(), known::get);
      } catch (IdConflictException conflict) {
        conflicts.put(results.size(), conflict);
        results.add(null);
        continue;
      }
      List<AppendResult> out = new ArrayList<>(r.entries().size());
      long size = head.size();
      Hash last = head.lastLeaf();
      for (int k = 0; k < r.entries().size(); k++) {
        PendingEntry e = r.entries().get(k);
        long seq = earlier[k] >= 0 ? earlier[k] : ids.seqInGroup(r.workspace(), e.id());
        if (seq >= 0) {
          out.add(new AppendResult(e.id(), seq, true));
          continue;
        }
        seq = size++;
        byte[] canonical = EntryEncoder.complete(e, seq, last);
        last = hasher.leafHash(canonical);
        ids.add(r.workspace(), e.id(), seq, canonical);
        out.add(new AppendResult(e.id(), seq, false));
        committed.add(new CommittedRow(r.workspace(), seq, e.id(), canonical, last));
        receivedAt.add(receivedAt(canonical));
        bytes += canonical.length;
      }
      heads.put(r.workspace(), new Head(size, last));
      results.add(out);
    }
    if (committed.isEmpty()) return new Outcome(results, conflicts, committed, -1, 0);
    insertEntries(c, committed, receivedAt);
    long changeId = updateHeads(c, heads, committed);
    return new Outcome(results, conflicts, committed, changeId, bytes);
  }

  private static Map<String, Head> lockHeads(Connection c, Set<String> workspaces) throws SQLException {
    Map<String, Head> heads = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT workspace, size, last_leaf_hash FROM workspace_heads WHERE workspace = ANY(?) ORDER BY workspace FOR UPDATE")) {
      s.setArray(1, c.createArrayOf("text", workspaces.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) heads.put(rs.getString(1), new Head(rs.getLong(2), Hash.of(rs.getBytes(3))));
      }
    }
    return heads;
  }

  /**
   * The stored entries holding any id of the group, per workspace and id. Two statements, each a primary-key lookup per
   * element (a correlated subquery, so the plan cannot turn into a scan of the growing tables, whatever their
   * statistics say): the ids' seqs, then — only when some id is stored already, a re-send — those entries' bytes.
   */
  private static Map<String, Map<String, Entry>> storedIds(Connection c, List<Request> requests) throws SQLException {
    List<String> ws = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (Request r : requests) {
      for (PendingEntry e : r.entries()) {
        ws.add(r.workspace());
        ids.add(e.id());
      }
    }
    List<String> foundWs = new ArrayList<>();
    List<String> foundIds = new ArrayList<>();
    List<Long> foundSeqs = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT t.w, t.d, (SELECT i.seq FROM entry_ids i WHERE i.workspace = t.w AND i.id = t.d) FROM unnest(?::text[], ?::text[]) AS t(w, d)")) {
      s.setArray(1, c.createArrayOf("text", ws.toArray()));
      s.setArray(2, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          long seq = rs.getLong(3);
          if (rs.wasNull()) continue;
          foundWs.add(rs.getString(1));
          foundIds.add(rs.getString(2));
          foundSeqs.add(seq);
        }
      }
    }
    Map<String, Map<String, Entry>> out = new HashMap<>();
    if (foundSeqs.isEmpty()) return out;
    try (PreparedStatement s = c.prepareStatement(
        "SELECT t.w, t.d, t.s, (SELECT e.canonical FROM entries e WHERE e.workspace = t.w AND e.seq = t.s) "
            + "FROM unnest(?::text[], ?::text[], ?::bigint[]) AS t(w, d, s)")) {
      s.setArray(1, c.createArrayOf("text", foundWs.toArray()));
      s.setArray(2, c.createArrayOf("text", foundIds.toArray()));
      s.setArray(3, c.createArrayOf("bigint", foundSeqs.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Entry e = new Entry(rs.getString(1), rs.getLong(3), rs.getString(2), rs.getBytes(4));
          out.computeIfAbsent(e.workspace(), w -> new HashMap<>()).put(e.id(), e);
        }
      }
    }
    return out;
  }

  private static void insertEntries(Connection c, List<CommittedRow> committed, List<String> receivedAt) throws SQLException {
    int n = committed.size();
    String[] ws = new String[n];
    Long[] seqs = new Long[n];
    String[] ids = new String[n];
    byte[][] canonical = new byte[n][];
    byte[][] leaves = new byte[n][];
    for (int i = 0; i < n; i++) {
      CommittedRow e = committed.get(i);
      ws[i] = e.workspace();
      seqs[i] = e.seq();
      ids[i] = e.id();
      canonical[i] = e.canonical();
      leaves[i] = e.leafHash().toBytes();
    }
    Array wsArray = c.createArrayOf("text", ws);
    Array seqArray = c.createArrayOf("bigint", seqs);
    Array idArray = c.createArrayOf("text", ids);
    Array leafArray = c.createArrayOf("bytea", leaves);
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO entries (workspace, seq, id, received_at, canonical, leaf_hash) "
            + "SELECT w, s, d, r::timestamptz, b, l FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::bytea[], ?::bytea[]) AS t(w, s, d, r, b, l)")) {
      s.setArray(1, wsArray);
      s.setArray(2, seqArray);
      s.setArray(3, idArray);
      s.setArray(4, c.createArrayOf("text", receivedAt.toArray()));
      s.setArray(5, c.createArrayOf("bytea", canonical));
      s.setArray(6, leafArray);
      s.executeUpdate();
    }
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO entry_ids (workspace, id, seq, content_hash) SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bytea[])")) {
      s.setArray(1, wsArray);
      s.setArray(2, idArray);
      s.setArray(3, seqArray);
      s.setArray(4, leafArray);
      s.executeUpdate();
    }
  }

  /**
   * Sets the new heads of the workspaces that grew, all with one new change id, and NOTIFYs it. The change id is
   * taken in this, the transaction's last statement, so the time from taking it to the commit is as short as it can
   * be (the commit feed's watermark relies on that time being bounded).
   */
  private static long updateHeads(Connection c, Map<String, Head> heads, List<CommittedRow> committed) throws SQLException {
    TreeSet<String> grew = new TreeSet<>();
    for (CommittedRow e : committed) grew.add(e.workspace());
    String[] ws = grew.toArray(String[]::new);
    Long[] sizes = new Long[ws.length];
    byte[][] leaves = new byte[ws.length][];
    for (int i = 0; i < ws.length; i++) {
      Head h = heads.get(ws[i]);
      sizes[i] = h.size();
      leaves[i] = h.lastLeaf().toBytes();
    }
    try (PreparedStatement s = c.prepareStatement(
        "WITH c AS (SELECT nextval('entry_change_ids') AS change_id), "
            + "u AS (UPDATE workspace_heads h SET size = v.size, last_leaf_hash = v.leaf, change_id = c.change_id "
            + "FROM c, unnest(?::text[], ?::bigint[], ?::bytea[]) AS v(ws, size, leaf) WHERE h.workspace = v.ws RETURNING c.change_id) "
            + "SELECT m, pg_notify('" + CHANNEL + "', m::text) FROM (SELECT max(change_id) AS m, count(*) AS n FROM u) x")) {
      s.setArray(1, c.createArrayOf("text", ws));
      s.setArray(2, c.createArrayOf("bigint", sizes));
      s.setArray(3, c.createArrayOf("bytea", leaves));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The entry's top-level {@code received_at} (the partition key), read with a streaming parser. */
  static String receivedAt(byte[] canonical) {
    try (JsonParser p = Json.MAPPER.createParser(canonical)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("received_at")) return p.getString();
        p.skipChildren();
      }
    }
    throw new IllegalArgumentException("an entry without received_at");
  }
}
