package org.trailbook.bench.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.trailbook.event.EventNormalizer;
import org.trailbook.event.RawEvent;
import org.trailbook.journal.EntryEncoder;
import org.trailbook.journal.FileJournal;
import org.trailbook.journal.PendingEntry;
import org.trailbook.workload.GeneratedEvent;
import org.trailbook.workload.WorkloadGenerator;
import org.trailbook.workload.WorkloadSpec;
import tools.jackson.databind.node.ObjectNode;

/** Durable appends of 500-event batches: sequencing, hashing, one write and one fsync per group. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class JournalAppendBench {
  static final int BATCH = 500;
  private final List<ObjectNode> events = new ArrayList<>();
  private Path dir;
  private FileJournal journal;
  private long n;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Instant now = Instant.parse("2026-11-01T00:00:00Z");
    EventNormalizer normalizer = new EventNormalizer();
    for (GeneratedEvent e : new WorkloadGenerator(WorkloadSpec.singleWorkspace(1, BATCH, "bench", now))) {
      events.add(normalizer.normalize(List.of(new RawEvent(0, e.event(), 0)), now).getFirst());
    }
    dir = Files.createTempDirectory("journal-bench");
    journal = FileJournal.open(dir);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    journal.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object appendBatchOf500() {
    List<PendingEntry> batch = new ArrayList<>(BATCH);
    for (ObjectNode e : events) {
      ObjectNode copy = e.deepCopy();
      copy.put("id", "e" + (n++));
      batch.add(EntryEncoder.prepare("bench", "2026-11-01T00:00:00.000Z", copy));
    }
    return journal.append("bench", batch).join();
  }
}
