package org.trailbook.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.trailbook.Json;
import org.trailbook.Times;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.checkpoint.SignedNote;
import org.trailbook.event.EventBatchParser;
import org.trailbook.event.EventNormalizer;
import org.trailbook.ingest.IngestService;
import org.trailbook.integrity.IntegrityConfig;
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.journal.Entry;
import org.trailbook.journal.FileJournal;
import org.trailbook.merkle.ProofVerifier;
import org.trailbook.merkle.TreeHasher;
import org.trailbook.server.ServerConfig;
import tools.jackson.databind.node.ObjectNode;

/**
 * Any sequence of ingest, time passing, purge, policy change, hold and restart (sometimes with the trees thrown away):
 * every retained entry stays provable against every checkpoint kept, every pair of checkpoints stays consistent, no
 * entry inside its window at a purge is ever lost, the access trail (kept without an archive) is never lost, and the
 * scrub passes. A real embedded journal, real trees and checkpoints, a clock the test moves.
 */
class PurgePropertyTest {
  static final String WS = "acme";

  sealed interface Op {}

  record Ingest(int n, boolean audit) implements Op {}

  record Advance(int days) implements Op {}

  record Purge() implements Op {}

  record Policy(Integer days) implements Op {}

  record Hold(boolean on) implements Op {}

  record Restart(boolean dropTrees) implements Op {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 15).flatMap(n -> Arbitraries.of(true, false).map(a -> (Op) new Ingest(n, a)))),
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(5, 90).map(d -> (Op) new Advance(d))),
        net.jqwik.api.Tuple.of(2, Arbitraries.just((Op) new Purge())),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(7, 10, 30).injectNull(0.15).map(d -> (Op) new Policy(d))),
        net.jqwik.api.Tuple.of(1, Arbitraries.frequency(net.jqwik.api.Tuple.of(1, true), net.jqwik.api.Tuple.of(2, false)).map(h -> (Op) new Hold(h))),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(true, false).map(d -> (Op) new Restart(d))));
    return op.list().ofMinSize(6).ofMaxSize(16);
  }

  @Property(tries = 30)
  void retainedEntriesStayProvableAndNothingInsideItsWindowIsLost(@ForAll("ops") List<Op> ops) throws IOException {
    Path dir = Files.createTempDirectory("purge-property");
    SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    AtomicReference<Purger.Rules> rules = new AtomicReference<>(new Purger.Rules(10, false, 365, false));
    Node node = new Node(dir, clock, rules);
    /** seq → received_at of the entries a purge must leave: inside their window at that moment, or the access trail. */
    Map<Long, String> mustStay = new TreeMap<>();
    Map<Long, String> checkpoints = new TreeMap<>(); // treeSize → signed note
    try {
      for (Op op : ops) {
        switch (op) {
          case Ingest i -> {
            List<ObjectNode> batch = new ArrayList<>();
            for (int k = 0; k < i.n(); k++) {
              ObjectNode e = Json.MAPPER.createObjectNode().put("action", "thing.done");
              if (i.audit() && k % 3 == 0) e.put("category", "audit_log");
              batch.add(e);
            }
            node.ingest.record(WS, batch);
          }
          case Advance a -> clock.advance(Duration.ofDays(a.days()));
          case Purge p -> {
            node.integrity.signDue();
            Purger.Rules r = rules.get();
            String cutoff = r.days() == null ? null : Times.format(clock.instant().minus(Duration.ofDays(r.days())));
            long size = node.journal.size(WS);
            for (Entry e : readAll(node.journal, size)) {
              String at = e.json().path("received_at").asString();
              boolean young = cutoff == null || r.held() || at.compareTo(cutoff) >= 0;
              if (young || "audit_log".equals(e.json().path("category").asString())) mustStay.put(e.seq(), at);
            }
            Purger.Outcome o = node.purger.run(WS);
            if (r.held() || r.days() == null) assertThat(o.purged()).isNull();
            net.jqwik.api.statistics.Statistics.collect(o.purged() != null ? "purged" : o.reason().substring(0, o.reason().indexOf(':')));
            // nothing inside its window at this purge is gone after it, nor any of the access trail
            for (Map.Entry<Long, String> m : mustStay.entrySet()) {
              assertThat(node.journal.read(WS, m.getKey(), m.getKey() + 1)).as("seq %d (received %s)", m.getKey(), m.getValue()).hasSize(1);
            }
            mustStay.clear();
          }
          case Policy p -> rules.set(new Purger.Rules(p.days(), false, 365, rules.get().held()));
          case Hold h -> rules.set(new Purger.Rules(rules.get().days(), false, 365, h.on()));
          case Restart r -> {
            node.close();
            if (r.dropTrees()) delete(dir.resolve("tree"));
            node = new Node(dir, clock, rules);
          }
        }
        node.integrity.signDue();
        node.integrity.latestCheckpoint(WS).ifPresent(n -> checkpoints.put(treeSize(n), n));
      }

      NoteVerifier verifier = NoteVerifier.parse(node.integrity.verifierKey());
      TreeHasher hasher = new TreeHasher();
      List<Checkpoint> signed = checkpoints.values().stream().map(n -> verifier.verifyCheckpoint(n)).toList();
      long size = node.journal.size(WS);
      List<Entry> retained = readAll(node.journal, size);
      for (Checkpoint cp : signed) {
        for (Entry e : retained) {
          if (e.seq() >= cp.treeSize()) break;
          ProofVerifier.verifyInclusion(node.integrity.inclusionProof(WS, e.seq(), cp.treeSize()), hasher.leafHash(e.canonical()), cp.rootHash());
        }
        for (Checkpoint later : signed) {
          if (later.treeSize() <= cp.treeSize()) continue;
          ProofVerifier.verifyConsistency(node.integrity.consistencyProof(WS, cp.treeSize(), later.treeSize()), cp.rootHash(), later.rootHash());
        }
      }
      if (size > 0) assertThat(node.integrity.scrub(WS).ok()).as(node.integrity.scrub(WS).line()).isTrue();
    } finally {
      node.close();
      delete(dir);
    }
  }

  private static List<Entry> readAll(FileJournal journal, long size) {
    List<Entry> all = new ArrayList<>();
    for (long at = 0; at < size; at += 1000) all.addAll(journal.read(WS, at, Math.min(size, at + 1000)));
    return all;
  }

  private static long treeSize(String note) {
    return Checkpoint.parse(SignedNote.parse(note).text()).treeSize();
  }

  private static void delete(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> files = Files.walk(p)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
    }
  }

  /** One embedded node's log parts over a directory. */
  private static final class Node implements AutoCloseable {
    final FileJournal journal;
    final LogIntegrity integrity;
    final IngestService ingest;
    final Purger purger;

    Node(Path dir, SettableClock clock, AtomicReference<Purger.Rules> rules) {
      journal = FileJournal.open(dir.resolve("journal"));
      integrity = LogIntegrity.open(dir, ServerConfig.fromEnvironment(Map.of()).serverName(), journal,
          IntegrityConfig.DEFAULTS.withScrubInterval(Duration.ZERO));
      ingest = new IngestService(integrity.guard(journal), new EventBatchParser(), new EventNormalizer(), clock);
      purger = new Purger(journal, ingest, (ws, now) -> rules.get(), integrity::latestCheckpointSize, Purger.ArchiveStep.NONE, clock);
    }

    @Override
    public void close() {
      integrity.close();
      journal.close();
    }
  }
}
