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
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.trailbook.Json;
import org.trailbook.archive.ArchiveTarget;
import org.trailbook.archive.Archiver;
import org.trailbook.archive.DirectoryTarget;
import org.trailbook.archive.RestoredArchives;
import org.trailbook.archive.RestoredViews;
import org.trailbook.verify.ArchiveVerifier;
import org.trailbook.Times;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.Checkpoints;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.checkpoint.SignedNote;
import org.trailbook.event.EventBatchParser;
import org.trailbook.event.EventNormalizer;
import org.trailbook.ingest.IngestService;
import org.trailbook.integrity.IntegrityConfig;
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.integrity.SigningLease;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;
import org.trailbook.merkle.ProofVerifier;
import org.trailbook.merkle.TreeHasher;
import org.trailbook.secrets.ServerSecrets;
import org.trailbook.server.ServerConfig;
import tools.jackson.databind.node.ObjectNode;

/**
 * The purge property, on any backend: any sequence of ingest, time passing, purge, policy change (archiving on or off),
 * hold, restart (sometimes with the trees thrown away) and restore of an archive: every retained entry stays provable
 * against every checkpoint kept, every pair of checkpoints stays consistent, no entry inside its window at a purge is
 * ever lost, the access trail is never lost unless archived first, every archive verifies offline and holds the exact
 * bytes of what it archived, a restore gives those entries back without touching the live log, and the scrub passes.
 * A real store ({@link #newBackend}), real trees, checkpoints and archives (a directory target), a clock the test moves.
 */
abstract class PurgePropertyContract {
  static final String WS = "acme";

  /** Where the test's clock starts: every receive time is from here on. */
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  sealed interface Op {}

  record Ingest(int n, boolean audit) implements Op {}

  record Advance(int days) implements Op {}

  record Purge() implements Op {}

  record Policy(Integer days, boolean archive) implements Op {}

  record Restore(int which) implements Op {}

  record Hold(boolean on) implements Op {}

  record Restart(boolean dropTrees) implements Op {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 15).flatMap(n -> Arbitraries.of(true, false).map(a -> (Op) new Ingest(n, a)))),
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(5, 90).map(d -> (Op) new Advance(d))),
        net.jqwik.api.Tuple.of(2, Arbitraries.just((Op) new Purge())),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(7, 10, 30).injectNull(0.15).flatMap(d -> Arbitraries.of(true, false).map(a -> (Op) new Policy(d, a)))),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 9).map(w -> (Op) new Restore(w))),
        net.jqwik.api.Tuple.of(1, Arbitraries.frequency(net.jqwik.api.Tuple.of(1, true), net.jqwik.api.Tuple.of(2, false)).map(h -> (Op) new Hold(h))),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(true, false).map(d -> (Op) new Restart(d))));
    return op.list().ofMinSize(6).ofMaxSize(16);
  }

  /**
   * One node's store parts on the backend under test: its log, where its checkpoints and log key are kept, the lease
   * it signs under, and how to close them (after the trees that use them).
   */
  protected record Store(EventStore events, Checkpoints checkpoints, ServerSecrets secrets, SigningLease lease, RestoredViews views, Runnable close) {}

  /** Opens a node's store parts over a try's directory; a restart opens them again on the same data. */
  @FunctionalInterface
  protected interface Backend {
    Store open(Path dir);
  }

  /** A backend with an empty log, for one try. */
  protected abstract Backend newBackend();

  /**
   * Runs {@code ops} on one node of a fresh backend, asserting the property along the way and at the end. The tries
   * are each subclass's ({@code @PropertyDefaults}): as many as its backend affords.
   */
  @Property
  void retainedEntriesStayProvableAndNothingInsideItsWindowIsLost(@ForAll("ops") List<Op> ops) throws Exception {
    Path dir = Files.createTempDirectory("purge-property");
    Backend backend = newBackend();
    SettableClock clock = new SettableClock(START);
    AtomicReference<Purger.Rules> rules = new AtomicReference<>(new Purger.Rules(10, false, AUDIT_DAYS, false));
    Map<Long, byte[]> originals = new TreeMap<>(); // every entry ever stored, as stored
    Node node = new Node(dir, clock, rules, backend.open(dir));
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
            long before = node.journal.size(WS);
            node.ingest.record(WS, batch);
            for (Entry e : node.journal.read(WS, before, node.journal.size(WS))) originals.put(e.seq(), e.canonical());
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
              String auditCutoff = Times.format(clock.instant().minus(Duration.ofDays(r.auditLogDays())));
              boolean trail = "audit_log".equals(e.json().path("category").asString());
              // the access trail stays unless archived, and always while younger than its own days
              if (young || (trail && (!r.archive() || at.compareTo(auditCutoff) >= 0))) mustStay.put(e.seq(), at);
            }
            Purger.Outcome o = node.purger.run(WS);
            // its audit_log.purged record is an entry like any other: a later purge may archive it
            for (Entry e : node.journal.read(WS, size, node.journal.size(WS))) originals.put(e.seq(), e.canonical());
            if (r.held() || r.days() == null) assertThat(o.purged()).isNull();
            net.jqwik.api.statistics.Statistics.collect(o.purged() != null ? "purged" : o.reason().substring(0, o.reason().indexOf(':')));
            // nothing inside its window at this purge is gone after it, nor any of the access trail
            for (Map.Entry<Long, String> m : mustStay.entrySet()) {
              assertThat(node.journal.read(WS, m.getKey(), m.getKey() + 1)).as("seq %d (received %s)", m.getKey(), m.getValue()).hasSize(1);
            }
            mustStay.clear();
          }
          case Policy p -> rules.set(new Purger.Rules(p.days(), p.archive(), AUDIT_DAYS, rules.get().held()));
          case Hold h -> rules.set(new Purger.Rules(rules.get().days(), rules.get().archive(), AUDIT_DAYS, h.on()));
          case Restore r -> {
            List<ArchiveTarget.Stored> stored = node.target.list(WS);
            if (stored.isEmpty()) break;
            long size = node.journal.size(WS);
            RestoredViews.View view = node.restored.restore(WS, stored.get(r.which() % stored.size()).name());
            List<ObjectNode> back = node.restored.search(WS, new RestoredViews.Query(null, null, null, -1, 1000)).entries();
            assertThat(back).as("every restored entry").isNotEmpty().allSatisfy(x -> {
              long seq = x.get("seq").asLong();
              assertThat(x.get("restored").asBoolean()).isTrue();
              assertThat(x.get("entry").toString()).as("seq %d as archived, byte for byte", seq)
                  .isEqualTo(new String(originals.get(seq), java.nio.charset.StandardCharsets.UTF_8));
            });
            assertThat(back.stream().filter(x -> x.get("archive").asString().equals(view.archive()))).hasSize((int) view.count());
            assertThat(node.journal.size(WS)).as("a restore never touches the live log").isEqualTo(size);
            node.restored.drop(WS, view.archive());
          }
          case Restart r -> {
            node.close();
            if (r.dropTrees()) delete(dir.resolve("tree"));
            node = new Node(dir, clock, rules, backend.open(dir));
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

      // every archive verifies offline with the log's key and holds exactly the bytes it archived; every access-trail
      // entry gone from the log is in one
      Map<Long, byte[]> archived = new TreeMap<>();
      for (ArchiveTarget.Stored a : node.target.list(WS)) {
        try (var in = node.target.open(WS, a.name())) {
          var result = ArchiveVerifier.verify(in, verifier, (seq, canonical) -> archived.put(seq, canonical));
          assertThat(result.ok()).as(result.line()).isTrue();
        }
      }
      java.util.Set<Long> held = new java.util.HashSet<>();
      for (Entry e : retained) held.add(e.seq());
      for (Map.Entry<Long, byte[]> o : originals.entrySet()) {
        if (archived.containsKey(o.getKey())) assertThat(archived.get(o.getKey())).isEqualTo(o.getValue());
        boolean trail = "audit_log".equals(Json.MAPPER.readTree(o.getValue()).path("category").asString());
        if (trail && !held.contains(o.getKey())) assertThat(archived).as("purged access trail seq %d was archived", o.getKey()).containsKey(o.getKey());
      }
    } finally {
      node.close();
      delete(dir);
    }
  }

  private static List<Entry> readAll(EventStore journal, long size) {
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

  /**
   * A purge's own record is archived by the next purge and restored from there: found by the property (the record,
   * appended by the purger rather than by an Ingest, was once missing from what the test knew of the log).
   */
  @Example
  void aPurgeRecordArchivedByALaterPurgeIsRestoredAsStored() throws Exception {
    retainedEntriesStayProvableAndNothingInsideItsWindowIsLost(List.of(new Ingest(5, true), new Policy(7, true), new Ingest(13, false),
        new Advance(12), new Purge(), new Advance(27), new Purge(), new Restore(1)));
  }

  /** The access trail's own days here: short, so archived trail entries age out within a test's time. */
  static final int AUDIT_DAYS = 40;

  /** One node's log parts over a directory and its backend's store, with an archive directory and restored views. */
  private static final class Node implements AutoCloseable {
    final Store store;
    final EventStore journal;
    final LogIntegrity integrity;
    final IngestService ingest;
    final Purger purger;
    final ArchiveTarget target;
    final RestoredArchives restored;

    Node(Path dir, SettableClock clock, AtomicReference<Purger.Rules> rules, Store store) {
      this.store = store;
      journal = store.events();
      try {
        integrity = LogIntegrity.open(dir, ServerConfig.fromEnvironment(Map.of()).serverName(), journal, store.checkpoints(),
            store.secrets(), store.lease(), IntegrityConfig.DEFAULTS.withScrubInterval(Duration.ZERO));
      } catch (RuntimeException e) {
        store.close().run();
        throw e;
      }
      ingest = new IngestService(integrity.guard(journal), new EventBatchParser(), new EventNormalizer(), clock);
      target = new DirectoryTarget(dir.resolve("archives"));
      Archiver archiver = new Archiver(journal, integrity, target, dir.resolve("staging"), clock);
      purger = new Purger(journal, ingest, (ws, now) -> rules.get(), integrity::latestCheckpointSize, Purger.archiveStep(archiver), clock);
      restored = new RestoredArchives(store.views(), target, NoteVerifier.parse(integrity.verifierKey()), clock);
    }

    @Override
    public void close() {
      integrity.close();
      store.close().run();
    }
  }
}
