package org.trailbook.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.journal.EventStore;

/**
 * Opens the {@link SearchIndex}'s IndexWriter on what is on disk, or on a fresh index when that cannot be used (none,
 * unreadable, another schema or other write verbs, ahead of the journal): the index is derived data, rebuilt rather than
 * repaired (docs/adr/0002). Also writes and reads the user data every commit records: the schema, the write verbs and
 * the next seq to index per workspace.
 */
final class IndexOpener {
  private static final Logger log = LoggerFactory.getLogger(IndexOpener.class);
  private static final String SEQ_PREFIX = "next:";
  /**
   * The index schema version, recorded in every commit's user data ({@code schema}). The index is
   * derived data, so it is never migrated: an index of any other schema version (older, newer, or
   * none recorded) is deleted and rebuilt from the journal (docs/adr/0002). Bump it whenever
   * documents change shape.
   */
  static final String SCHEMA = "1";

  private IndexOpener() {}

  /** The writer; {@code indexed} is filled with the next seq to index per workspace (empty for a fresh index). */
  static IndexWriter open(Directory directory, SearchOptions options, EventStore store, Map<String, Long> indexed) throws IOException {
    if (!DirectoryReader.indexExists(directory)) {
      log.info("search index: none in {}; building it from the journal", options.dir());
      deleteContents(options.dir());
      return new IndexWriter(directory, config(options).setOpenMode(IndexWriterConfig.OpenMode.CREATE));
    }
    try {
      IndexWriter w = new IndexWriter(directory, config(options));
      String problem = checkCommit(w, options, store, indexed);
      if (problem == null) {
        long total = indexed.values().stream().mapToLong(Long::longValue).sum();
        log.info("search index: opened with {} events; catching up with the journal", total);
        return w;
      }
      w.rollback();
      log.warn("search index: {}; rebuilding it from the journal", problem);
    } catch (IOException | RuntimeException e) {
      log.warn("search index: cannot be opened ({}); rebuilding it from the journal", e.toString());
    }
    indexed.clear();
    deleteContents(options.dir());
    return new IndexWriter(directory, config(options).setOpenMode(IndexWriterConfig.OpenMode.CREATE));
  }

  /** What a commit records: the schema, the write verbs and the next seq to index of every workspace. */
  static Map<String, String> commitData(SearchOptions options, Map<String, Long> indexed) {
    Map<String, String> data = new HashMap<>();
    data.put("schema", SCHEMA);
    data.put("write_verbs", options.classifier().fingerprint());
    indexed.forEach((ws, next) -> data.put(SEQ_PREFIX + ws, Long.toString(next)));
    return data;
  }

  private static IndexWriterConfig config(SearchOptions options) {
    IndexWriterConfig c = new IndexWriterConfig(TextAnalyzer.INSTANCE);
    c.setIndexSort(SearchIndex.INDEX_SORT);
    c.setRAMBufferSizeMB(options.ramBufferMb());
    c.setCommitOnClose(false);
    c.setMergeScheduler(new BackgroundMergeScheduler());
    return c;
  }

  /** Reads the committed next seqs into {@code indexed}; returns why the index cannot be used, or null. */
  private static String checkCommit(IndexWriter w, SearchOptions options, EventStore store, Map<String, Long> indexed) {
    Map<String, String> data = new HashMap<>();
    Iterable<Map.Entry<String, String>> live = w.getLiveCommitData();
    if (live != null) live.forEach(en -> data.put(en.getKey(), en.getValue()));
    if (!SCHEMA.equals(data.get("schema"))) return "the index has another schema (" + data.get("schema") + ")";
    if (!options.classifier().fingerprint().equals(data.get("write_verbs"))) return "the write verbs changed";
    for (Map.Entry<String, String> en : data.entrySet()) {
      if (!en.getKey().startsWith(SEQ_PREFIX)) continue;
      String ws = en.getKey().substring(SEQ_PREFIX.length());
      long next = Long.parseLong(en.getValue());
      if (next > store.size(ws)) return "the index is ahead of the journal for workspace " + ws;
      indexed.put(ws, next);
    }
    return null;
  }

  private static void deleteContents(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) Files.delete(p);
      }
    }
  }
}
