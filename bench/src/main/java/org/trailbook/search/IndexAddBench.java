package org.trailbook.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.trailbook.event.EventNormalizer;
import org.trailbook.event.RawEvent;
import org.trailbook.journal.EntryEncoder;
import org.trailbook.merkle.Hash;
import org.trailbook.workload.GeneratedEvent;
import org.trailbook.workload.WorkloadGenerator;
import org.trailbook.workload.WorkloadSpec;

/**
 * The search index's per-event cost on entries of workload W: building the Lucene document, and
 * building plus adding it to a writer configured as the server configures its own. Lives in the
 * search package to reach its package-private document builder.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class IndexAddBench {
  private final List<byte[]> entries = new ArrayList<>();
  private final DocumentBuilder builder = new DocumentBuilder(EventClassifier.defaults());
  private Path dir;
  private IndexWriter writer;
  private int i;
  private long seq;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Instant now = Instant.parse("2026-11-01T00:00:00Z");
    EventNormalizer normalizer = new EventNormalizer();
    for (GeneratedEvent e : new WorkloadGenerator(WorkloadSpec.singleWorkspace(1, 1024, "bench", now))) {
      var n = normalizer.normalize(List.of(new RawEvent(0, e.event(), 0)), now).getFirst();
      entries.add(EntryEncoder.complete(EntryEncoder.prepare("bench", "2026-11-01T00:00:00.000Z", n), entries.size(), Hash.ZERO));
    }
    dir = Files.createTempDirectory("index-bench");
    IndexWriterConfig c = new IndexWriterConfig(TextAnalyzer.INSTANCE);
    c.setIndexSort(SearchIndex.INDEX_SORT);
    c.setRAMBufferSizeMB(256);
    writer = new IndexWriter(FSDirectory.open(dir), c);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    writer.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  @Benchmark
  public Document buildDocument() {
    i = (i + 1) & 1023;
    return builder.build("bench", i, entries.get(i));
  }

  @Benchmark
  public long buildAndAdd() throws IOException {
    i = (i + 1) & 1023;
    return writer.addDocument(builder.build("bench", seq++, entries.get(i)));
  }
}
