package org.trailbook.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.event.EventBatchParser;
import org.trailbook.event.EventNormalizer;
import org.trailbook.ingest.IngestService;
import org.trailbook.journal.FileJournal;
import tools.jackson.databind.node.ObjectNode;

/** The indexer against a journal directly: concurrency, changed write verbs, workspace isolation. */
class SearchIndexTest {
  @TempDir Path dir;

  private static List<ObjectNode> events(String prefix, int n) {
    List<ObjectNode> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(Json.MAPPER.createObjectNode().put("id", prefix + i).put("action", i % 3 == 0 ? "contact.created" : "report.viewed"));
    return out;
  }

  @Test
  void concurrentWritersThroughASmallIndexingBufferLoseNothing() throws Exception {
    try (FileJournal journal = FileJournal.open(dir.resolve("journal"))) {
      SearchOptions options = SearchOptions.defaults(dir.resolve("index"));
      options = new SearchOptions(options.dir(), options.refreshInterval(), options.commitInterval(), 16, options.classifier(), options.mergeDeletesDelay());
      try (SearchIndex index = SearchIndex.open(journal, options)) {
        IngestService ingest = new IngestService(journal, new EventBatchParser(), new EventNormalizer(), Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          String ws = t % 2 == 0 ? "even" : "odd";
          int thread = t;
          done.add(pool.submit(() -> {
            for (int b = 0; b < 100; b++) ingest.record(ws, events("t" + thread + "-" + b + "-", 10));
          }));
        }
        for (Future<?> f : done) f.get();
        pool.shutdown();
        EventSearch search = new EventSearch(index);
        for (String ws : List.of("even", "odd")) {
          assertThat(index.awaitVisible(ws, 4000, Duration.ofSeconds(30))).isTrue();
          SearchPage page = search.page(new PageRequest(EventFilter.all(ws), false, 1, null, List.of("category"), true));
          assertThat(page.total()).isEqualTo(4000);
          assertThat(page.facets().get("category")).containsExactly(new SearchPage.FacetCount("report", 2400), new SearchPage.FacetCount("contact", 1600));
        }
      }
    }
  }

  @Test
  void changedWriteVerbsRebuildTheIndex() {
    try (FileJournal journal = FileJournal.open(dir.resolve("journal"))) {
      IngestService ingest = new IngestService(journal, new EventBatchParser(), new EventNormalizer(), Clock.systemUTC());
      ingest.record("acme", events("e", 30));
      SearchOptions options = SearchOptions.defaults(dir.resolve("index"));
      try (SearchIndex index = SearchIndex.open(journal, options)) {
        assertThat(index.awaitVisible("acme", 30, Duration.ofSeconds(30))).isTrue();
        assertThat(writes(index)).isEqualTo(10);
      }
      try (SearchIndex index = SearchIndex.open(journal, options.withClassifier(EventClassifier.fromConfig("created,viewed")))) {
        assertThat(index.awaitVisible("acme", 30, Duration.ofSeconds(30))).isTrue();
        assertThat(writes(index)).isEqualTo(30);
      }
    }
  }

  private static long writes(SearchIndex index) {
    return new Stats(index).compute(new StatsRequest(EventFilter.all("acme"), null, System.currentTimeMillis(), Bucket.WEEK)).writes();
  }

  @Test
  void classifiesSignInsWritesAndTheRest() {
    EventClassifier c = EventClassifier.defaults();
    assertThat(c.classify("auth", "auth.login", false)).isEqualTo(EventClassifier.AUTH | EventClassifier.SIGN_IN);
    assertThat(c.classify("auth", "auth.login_failed", false)).isEqualTo(EventClassifier.AUTH);
    assertThat(c.classify("auth", "auth.password.updated", true)).isEqualTo(EventClassifier.AUTH);
    assertThat(c.classify("user_action", "auth.signed_in", true)).isEqualTo(EventClassifier.SIGN_IN);
    assertThat(c.classify("user_action", "campaign.launched", false)).isEqualTo(EventClassifier.WRITE);
    assertThat(c.classify("user_action", "user.role_changed", false)).isEqualTo(EventClassifier.WRITE);
    assertThat(c.classify("user_action", "contact.viewed", true)).isEqualTo(EventClassifier.WRITE);
    assertThat(c.classify("api_call", "api.request", false)).isZero();
    assertThat(c.classify("user_action", "deleted", false)).isEqualTo(EventClassifier.WRITE);
    assertThat(EventClassifier.fromConfig(" a , b ,").writeVerbs()).isEqualTo(java.util.Set.of("a", "b"));
    assertThat(EventClassifier.fromConfig("").writeVerbs()).hasSize(19);
    assertThat(Map.of()).isEmpty();
  }
}
