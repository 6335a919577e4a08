package org.trailbook.archive;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.trailbook.InvalidInputException;
import org.trailbook.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/**
 * Where restored views are kept: files in the node's data directory ({@link FileRestoredViews}) or tables of the
 * PostgreSQL store, shared by every node ({@code postgres.PostgresRestoredViews}). A view is written through a
 * {@link Draft} while its archive is verified and becomes visible whole at {@link Draft#commit} — never half of one,
 * whatever crashes — replacing an earlier view of the same archive. Views are keyed by (workspace, archive name);
 * {@link RestoredArchives} checks both names before calling.
 */
public interface RestoredViews {
  /** Begins a view of {@code archive}; nothing of it is visible until {@link Draft#commit}. */
  Draft begin(String workspace, String archive) throws IOException;

  /** The workspace's views, by archive name (so in seq order: names are zero-padded seqs). */
  List<View> views(String workspace) throws IOException;

  /** Drops the view of {@code archive} with its entries; false if there was none. */
  boolean drop(String workspace, String archive) throws IOException;

  /** Finds entries of the workspace's views in seq order, a page at a time. */
  Page find(String workspace, Query query) throws IOException;

  /** A view being written: entries in seq order, then {@link #commit}; closing it uncommitted leaves nothing behind. */
  interface Draft extends AutoCloseable {
    /** Adds the next entry: its canonical bytes exactly as archived (no line break). */
    void add(long seq, byte[] canonical) throws IOException;

    /** Makes the view visible with everything added, replacing an earlier view of its archive. */
    void commit(View view) throws IOException;

    @Override
    void close() throws IOException;
  }

  /** A restored view: the archive it came from and what it holds ({@code count} whole entries; seqs purged before it had none). */
  record View(String workspace, String archive, String location, long fromSeq, long toSeq, long count, long treeSize, String restoredAt) {
    ObjectNode toJson() {
      return Json.MAPPER.createObjectNode().put("workspace", workspace).put("archive", archive).put("location", location).put("from_seq", fromSeq)
          .put("to_seq", toSeq).put("count", count).put("tree_size", treeSize).put("restored_at", restoredAt);
    }

    static View of(JsonNode o) {
      return new View(o.path("workspace").asString(), o.path("archive").asString(), o.path("location").asString(), o.path("from_seq").asLong(),
          o.path("to_seq").asLong(), o.path("count").asLong(), o.path("tree_size").asLong(), o.path("restored_at").asString());
    }
  }

  /**
   * What to find in the restored views: entries whose {@code action} and {@code actor.id} are the ones given and whose
   * canonical text holds {@code text} (any case); each filter null for any. Entries after {@code afterSeq}, at most
   * {@code limit}.
   */
  record Query(String action, String actor, String text, long afterSeq, int limit) {
    public Query {
      if (limit < 1 || limit > 1000) throw new InvalidInputException("invalid_limit", "limit must be from 1 to 1000, not " + limit);
    }

    /** Whether {@code entry} (parsed from {@code line}) passes the filters. */
    public boolean matches(JsonNode entry, String line) {
      if (action != null && !action.equals(actionOf(entry))) return false;
      if (actor != null && !actor.equals(actorOf(entry))) return false;
      return text == null || line.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
    }

    /** The entry's {@code action}, which the {@code action} filter compares; null if it has none. */
    public static String actionOf(JsonNode entry) {
      return entry.path("action").asString(null);
    }

    /** The entry's {@code actor.id}, which the {@code actor} filter compares; null if it has none. */
    public static String actorOf(JsonNode entry) {
      return entry.path("actor").path("id").asString(null);
    }
  }

  /**
   * One page: the entries found, each {@code {"seq","restored":true,"archive","entry":{…}}} with the entry's canonical
   * bytes exactly as archived (so its leaf hash can be recomputed), and where the next page starts (-1: none).
   */
  record Page(List<ObjectNode> entries, long nextAfterSeq) {}

  /** An entry as a page holds it: marked as restored, with its archive and its canonical bytes as they are (not re-encoded). */
  static ObjectNode marked(long seq, String archive, String canonical) {
    ObjectNode marked = Json.MAPPER.createObjectNode().put("seq", seq).put("restored", true).put("archive", archive);
    marked.putRawValue("entry", new RawValue(canonical));
    return marked;
  }
}
