package org.trailbook.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.Field;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.trailbook.Json;
import org.trailbook.event.EventBatchParser;
import org.trailbook.event.EventNormalizer;
import org.trailbook.ingest.IngestService;
import org.trailbook.journal.FileJournal;
import tools.jackson.databind.node.ObjectNode;

/**
 * The index records its schema version in its commit user data; an index of another version
 * (older, newer, none) is rebuilt from the journal, never reused. A stray document planted in the
 * index shows which happened: a reused index still holds it, a rebuilt one does not.
 */
class SearchIndexSchemaTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "schema ''{0}''")
  @ValueSource(strings = {"1", "0", "2", "none"})
  void anIndexOfAnotherSchemaVersionIsRebuiltFromTheJournal(String schema) throws IOException {
    try (FileJournal journal = FileJournal.open(dir.resolve("journal"))) {
      IngestService ingest = new IngestService(journal, new EventBatchParser(), new EventNormalizer(), Clock.systemUTC());
      for (int i = 0; i < 30; i++) ingest.record("acme", java.util.List.of(event(i)));
      SearchOptions options = SearchOptions.defaults(dir.resolve("index"));
      try (SearchIndex index = SearchIndex.open(journal, options)) {
        assertThat(index.awaitVisible("acme", 30, Duration.ofSeconds(30))).isTrue();
      }
      assertThat(commitData().get("schema")).as("recorded at commit").isEqualTo(IndexOpener.SCHEMA);

      plantStrayDocumentWithSchema(schema);
      try (SearchIndex index = SearchIndex.open(journal, options)) {
        assertThat(index.awaitVisible("acme", 30, Duration.ofSeconds(30))).isTrue();
        IndexSearcher searcher = index.acquire();
        try {
          int expected = schema.equals(IndexOpener.SCHEMA) ? 31 : 30; // the stray survives only when the index was reused
          assertThat(searcher.getIndexReader().numDocs()).isEqualTo(expected);
        } finally {
          index.release(searcher);
        }
      }
      assertThat(commitData().get("schema")).isEqualTo(IndexOpener.SCHEMA);
    }
  }

  private static ObjectNode event(int i) {
    return Json.MAPPER.createObjectNode().put("id", "e" + i).put("action", "contact.created");
  }

  /** Adds one document no journal entry explains and commits it with {@code schema} (or none) in the user data. */
  private void plantStrayDocumentWithSchema(String schema) throws IOException {
    IndexWriterConfig config = new IndexWriterConfig(TextAnalyzer.INSTANCE).setIndexSort(SearchIndex.INDEX_SORT);
    try (FSDirectory directory = FSDirectory.open(dir.resolve("index")); IndexWriter writer = new IndexWriter(directory, config)) {
      Map<String, String> data = new HashMap<>();
      writer.getLiveCommitData().forEach(e -> data.put(e.getKey(), e.getValue()));
      if (schema.equals("none")) data.remove("schema");
      else data.put("schema", schema);
      Document stray = new Document();
      stray.add(new StringField("stray", "yes", Field.Store.NO));
      writer.addDocument(stray);
      writer.setLiveCommitData(data.entrySet());
      writer.commit();
    }
  }

  private Map<String, String> commitData() throws IOException {
    try (FSDirectory directory = FSDirectory.open(dir.resolve("index")); DirectoryReader reader = DirectoryReader.open(directory)) {
      return reader.getIndexCommit().getUserData();
    }
  }
}
