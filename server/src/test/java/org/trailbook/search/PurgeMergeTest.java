package org.trailbook.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.event.EventBatchParser;
import org.trailbook.event.EventNormalizer;
import org.trailbook.ingest.IngestService;
import org.trailbook.journal.FileJournal;
import org.trailbook.journal.Purge;
import org.trailbook.retention.Purger;
import tools.jackson.databind.node.ObjectNode;

/**
 * The documents purges delete are merged away once no purge came for a while ({@link SearchOptions#mergeDeletesDelay()}):
 * a pass over many workspaces (one purge each) asks for one merge, not one per workspace.
 */
class PurgeMergeTest {
  static final List<String> WORKSPACES = List.of("a", "b", "c");
  static final int EVENTS = 200;
  static final int PURGED = 150;

  @TempDir Path dir;

  @Test
  void aBurstOfPurgesIsMergedAwayOnceAfterTheDelay() throws Exception {
    try (FileJournal journal = FileJournal.open(dir.resolve("journal"))) {
      IngestService ingest = filled(journal);
      try (SearchIndex index = SearchIndex.open(journal, options(Duration.ofSeconds(2)))) {
        purgeAll(journal, ingest, index);
        assertThat(index.indexer().awaitDeletesMerges(1, Duration.ofSeconds(30))).isTrue();
        assertThat(index.indexer().deletesMerges()).as("one merge for the three purges").isEqualTo(1);
        assertThat(index.purgeMergePending()).isFalse();
        assertRetained(index);
      }
    }
  }

  @Test
  void noMergeIsAskedForBeforeTheDelay() throws Exception {
    try (FileJournal journal = FileJournal.open(dir.resolve("journal"))) {
      IngestService ingest = filled(journal);
      try (SearchIndex index = SearchIndex.open(journal, options(Duration.ofHours(1)))) {
        purgeAll(journal, ingest, index);
        ingest.record("a", List.of(Json.MAPPER.createObjectNode().put("action", "doc.edited"))); // one more step of the indexer
        assertThat(index.awaitCurrent("a", Duration.ofSeconds(30))).isZero();
        assertThat(index.indexer().deletesMerges()).isZero();
        assertThat(index.purgeMergePending()).as("the metrics say a merge is to come").isTrue();
      }
    }
  }

  private IngestService filled(FileJournal journal) {
    IngestService ingest = new IngestService(journal, new EventBatchParser(), new EventNormalizer(), Clock.systemUTC());
    for (String ws : WORKSPACES) {
      List<ObjectNode> events = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) events.add(Json.MAPPER.createObjectNode().put("id", ws + i).put("action", "doc.edited"));
      ingest.record(ws, events);
    }
    return ingest;
  }

  private SearchOptions options(Duration mergeDeletesDelay) {
    return SearchOptions.defaults(dir.resolve("index")).withMergeDeletesDelay(mergeDeletesDelay);
  }

  /** Purges the oldest {@value #PURGED} entries of every workspace and appends each purge's record, as the purger does. */
  private static void purgeAll(FileJournal journal, IngestService ingest, SearchIndex index) {
    for (String ws : WORKSPACES) assertThat(index.awaitVisible(ws, EVENTS, Duration.ofSeconds(30))).isTrue();
    for (String ws : WORKSPACES) {
      Purge p = journal.purge(ws, PURGED, new long[0], "test");
      ingest.record(ws, List.of(Purger.recordEvent(p, 0, 0)));
    }
    for (String ws : WORKSPACES) assertThat(index.awaitCurrent(ws, Duration.ofSeconds(30))).isZero();
  }

  /** Search counts what each log still holds: the entries above the horizon and the purge's record. */
  private static void assertRetained(SearchIndex index) {
    EventSearch search = new EventSearch(index);
    for (String ws : WORKSPACES) {
      assertThat(index.awaitCurrent(ws, Duration.ofSeconds(30))).isZero();
      SearchPage page = search.page(new PageRequest(EventFilter.all(ws), false, 1, null, List.of(), true));
      assertThat(page.total()).isEqualTo(EVENTS - PURGED + 1);
    }
  }
}
