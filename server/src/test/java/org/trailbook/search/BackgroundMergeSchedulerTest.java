package org.trailbook.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.journal.FileJournal;

/** The search index's large merges run on threads of lower CPU priority (BackgroundPriority); small ones do not. */
class BackgroundMergeSchedulerTest {
  @TempDir Path dir;

  @Test
  void theIndexUsesItAndASmallMergeKeepsItsPriority() throws Exception {
    try (FileJournal journal = FileJournal.open(dir.resolve("journal"));
        FSDirectory directory = FSDirectory.open(dir.resolve("index"));
        IndexWriter writer = IndexOpener.open(directory, SearchOptions.defaults(dir.resolve("index")), journal, new HashMap<>())) {
      threeSegmentsMerged(writer);
      assertThat(((BackgroundMergeScheduler) writer.getConfig().getMergeScheduler()).lowered()).as("a few kilobytes: not lowered").isZero();
    }
  }

  @Test
  void aLargeMergeRunsLowered() throws Exception {
    BackgroundMergeScheduler merges = new BackgroundMergeScheduler(1); // every merge counts as large here
    try (FSDirectory directory = FSDirectory.open(dir.resolve("index"));
        IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig().setMergeScheduler(merges))) {
      threeSegmentsMerged(writer);
    }
    assertThat(merges.lowered()).isPositive();
  }

  private static void threeSegmentsMerged(IndexWriter writer) throws Exception {
    for (int segment = 0; segment < 3; segment++) {
      for (int i = 0; i < 10; i++) {
        Document d = new Document();
        d.add(new StringField(Fields.WORKSPACE, "ws" + i, Field.Store.NO));
        writer.addDocument(d);
      }
      writer.commit();
    }
    writer.forceMerge(1); // waits for the merge
  }
}
