package org.trailbook.search;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ObjLongConsumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.journal.Entry;

/**
 * Builds and adds the {@link SearchIndex}'s documents, large batches on two threads: building and adding a document is
 * most of the cost of indexing, and IndexWriter takes documents concurrently.
 */
final class DocumentAdder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DocumentAdder.class);
  /** Batches at least this large are indexed on two threads. */
  private static final int PARALLEL_MIN = 64;

  private final IndexWriter writer;
  private final DocumentBuilder documents;
  private final ExecutorService helper =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("search-indexer-2").daemon().factory());
  /** A fault to inject before each document is added (tests only; null in service). */
  volatile ObjLongConsumer<String> fault;

  DocumentAdder(IndexWriter writer, DocumentBuilder documents) {
    this.writer = writer;
    this.documents = documents;
  }

  /** Adds the documents of {@code entries}; when it throws, some of them may have been added (the caller discards them). */
  void addAll(List<Entry> entries) throws IOException {
    if (entries.size() < PARALLEL_MIN) {
      for (Entry e : entries) add(e);
      return;
    }
    int mid = entries.size() / 2;
    Future<?> other = helper.submit(() -> {
      for (Entry e : entries.subList(mid, entries.size())) add(e);
      return null;
    });
    try {
      for (Entry e : entries.subList(0, mid)) add(e);
    } catch (IOException | RuntimeException | Error e) {
      awaitQuietly(other); // the other half must be done before a retry discards what was added
      throw e;
    }
    try {
      other.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while indexing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      throw new IOException("indexing failed", e.getCause());
    }
  }

  private static void awaitQuietly(Future<?> f) {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // reported through the first failure
    }
  }

  private void add(Entry e) throws IOException {
    ObjLongConsumer<String> f = fault;
    if (f != null) f.accept(e.workspace(), e.seq());
    Document d;
    try {
      d = documents.build(e.workspace(), e.seq(), e.canonical());
    } catch (RuntimeException ex) {
      log.error("search index: cannot index entry {} of workspace {}; it stays in the journal but is not searchable", e.seq(), e.workspace(), ex);
      return;
    }
    writer.addDocument(d);
  }

  @Override
  public void close() {
    helper.shutdown();
  }
}
