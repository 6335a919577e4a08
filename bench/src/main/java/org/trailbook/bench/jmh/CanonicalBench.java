package org.trailbook.bench.jmh;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.trailbook.canonical.Jcs;
import org.trailbook.event.EventBatchParser;
import org.trailbook.event.EventNormalizer;
import org.trailbook.event.RawEvent;
import org.trailbook.journal.EntryEncoder;
import org.trailbook.journal.PendingEntry;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;
import org.trailbook.workload.GeneratedEvent;
import org.trailbook.workload.WorkloadGenerator;
import org.trailbook.workload.WorkloadSpec;
import tools.jackson.databind.node.ObjectNode;

/** Per-event costs of the ingest path, on events of workload W. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class CanonicalBench {
  private final List<ObjectNode> normalized = new ArrayList<>();
  private final List<byte[]> raw = new ArrayList<>();
  private final List<PendingEntry> pending = new ArrayList<>();
  private final List<byte[]> canonical = new ArrayList<>();
  private final TreeHasher hasher = new TreeHasher();
  private final EventBatchParser parser = new EventBatchParser();
  private final EventNormalizer normalizer = new EventNormalizer();
  private int i;

  @Setup
  public void setUp() {
    Instant now = Instant.parse("2026-11-01T00:00:00Z");
    for (GeneratedEvent e : new WorkloadGenerator(WorkloadSpec.singleWorkspace(1, 1024, "bench", now))) {
      raw.add(e.json());
      ObjectNode n = normalizer.normalize(List.of(new RawEvent(0, e.event(), 0)), now).getFirst();
      normalized.add(n);
      PendingEntry p = EntryEncoder.prepare("bench", "2026-11-01T00:00:00.000Z", n.deepCopy());
      pending.add(p);
      canonical.add(EntryEncoder.complete(p, 42, Hash.ZERO));
    }
  }

  private int next() {
    return i = (i + 1) & 1023;
  }

  @Benchmark
  public Object parseAndNormalize() {
    return normalizer.normalize(parser.parse(raw.get(next()), EventBatchParser.Format.JSON), Instant.EPOCH);
  }

  @Benchmark
  public byte[] canonicalize() {
    return Jcs.canonicalize(normalized.get(next()));
  }

  @Benchmark
  public byte[] completeEntry() {
    return EntryEncoder.complete(pending.get(next()), 123456, Hash.ZERO);
  }

  @Benchmark
  public Hash leafHash() {
    return hasher.leafHash(canonical.get(next()));
  }
}
