package org.trailbook.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.Field;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.journal.FileJournal;

/** The search index's merges run on threads of lower CPU priority (BackgroundPriority). */
class BackgroundMergeSchedulerTest {
  @TempDir Path dir;

  @Test
  void theIndexsMergesRunLowered() throws Exception {
    try (FileJournal journal = FileJournal.open(dir.resolve("journal"));
        FSDirectory directory = FSDirectory.open(dir.resolve("index"));
        IndexWriter writer = IndexOpener.open(directory, SearchOptions.defaults(dir.resolve("index")), journal, new HashMap<>())) {
      for (int segment = 0; segment < 3; segment++) {
        for (int i = 0; i < 10; i++) {
          Document d = new Document();
          d.add(new StringField(Fields.WORKSPACE, "ws" + i, Field.Store.NO));
          writer.addDocument(d);
        }
        writer.commit();
      }
      writer.forceMerge(1); // waits for the merge
      BackgroundMergeScheduler merges = (BackgroundMergeScheduler) writer.getConfig().getMergeScheduler();
      assertThat(merges.lowered()).isPositive();
    }
  }
}
