package org.trailbook.integrity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.checkpoint.CheckpointReader;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.health.PartHealth;
import org.trailbook.health.Supervisor;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;
import org.trailbook.journal.JournalCorruptedException;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;
import org.trailbook.verify.Failure;
import org.trailbook.verify.LogChecker;
import org.trailbook.verify.PurgedLogChecker;
import org.trailbook.verify.PurgedPrefix;
import org.trailbook.verify.Verdict;

/**
 * Re-verifies whole workspace logs the way {@code trailbook verify} does, on demand ({@link #scrub})
 * and on a schedule. The scheduled scrub runs under a {@link Supervisor} as its own part ({@link
 * #health()}): a scrub that fails to run (an I/O fault, an Error) is logged once per streak and run
 * again at its next scheduled time, never sooner (a scrub reads whole logs). What a scrub <em>finds</em>
 * is not a failure of the part: a log that fails refuses its workspace for writes.
 */
final class Scrubber implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Scrubber.class);

  private final Map<String, WorkspaceTree> workspaces;
  private final EventStore journal;
  private final NoteVerifier verifier;
  private final BiConsumer<WorkspaceTree, String> refuse;
  private final PartHealth health = new PartHealth("log_scrubber", "the integrity scrubber",
      "logs are not re-verified until its next run succeeds", false);
  /** A fault to inject before each scheduled scrub (tests only; null in service). */
  volatile Supervisor.Step fault;
  private Supervisor supervisor;
  private volatile boolean closing;

  /** Scrubs the trees of {@code workspaces} (a live map) against {@code journal}; {@code refuse} refuses a workspace that fails. */
  Scrubber(Map<String, WorkspaceTree> workspaces, EventStore journal, NoteVerifier verifier, BiConsumer<WorkspaceTree, String> refuse) {
    this.workspaces = workspaces;
    this.journal = journal;
    this.verifier = verifier;
    this.refuse = refuse;
  }

  /** Scrubs every workspace every {@code interval}, the first time one interval from now. */
  void start(Duration interval) {
    supervisor = Supervisor.every("log-scrubber", health, interval, this::scrubOnSchedule);
  }

  PartHealth health() {
    return health;
  }

  /** Re-verifies every workspace's whole log now (see {@link #scrub}); returns the verdicts. */
  List<Verdict> scrubAll() {
    List<Verdict> verdicts = new ArrayList<>();
    for (String ws : new TreeSet<>(workspaces.keySet())) {
      if (closing) break; // the server is closing: the next start scrubs again
      verdicts.add(scrub(ws));
    }
    return verdicts;
  }

  /** The scheduled scrub; whatever it throws (an Error too) goes to its supervisor, which runs it again next time. */
  private void scrubOnSchedule() throws Exception {
    Supervisor.Step f = fault;
    if (f != null) f.run();
    long started = System.nanoTime();
    List<Verdict> verdicts = scrubAll();
    log.info("scrub: {} workspaces checked in {} ms, {} failed", verdicts.size(), (System.nanoTime() - started) / 1_000_000,
        verdicts.stream().filter(v -> !v.ok()).count());
  }

  /**
   * Re-verifies one workspace's log up to its current tree size: recomputes every leaf hash from
   * the journal, checks seqs and the prev_hash chain, compares each leaf with the stored tree, and
   * recomputes the root at every stored checkpoint's size and checks its signature. A failure
   * refuses the workspace for writes.
   */
  Verdict scrub(String workspace) {
    for (int attempt = 1; ; attempt++) {
      int purges = journal.purges(workspace).size();
      Verdict v = scrubOnce(workspace);
      // a purge that ran meanwhile leaves holes the scrub did not expect: that is no damage, so scrub again (counting
      // purges, not the horizon: a purge of aged access-trail entries alone leaves the horizon where it was)
      if (v.ok() || attempt == 3 || journal.purges(workspace).size() == purges) {
        if (!v.ok()) refuse.accept(workspaces.get(workspace), "the scrub found: " + v.line());
        return v;
      }
    }
  }

  private Verdict scrubOnce(String workspace) {
    WorkspaceTree s = workspaces.get(workspace);
    if (s == null) throw new org.trailbook.NotFoundException("no log for workspace '" + workspace + "'");
    if (s.tree == null || s.checkpoints == null) {
      return new Verdict(workspace, 0, 0, new TreeHasher().emptyRoot(), 0, new Failure(-1, -1, s.refusal()));
    }
    long size = s.tree.size();
    List<Long> sizes = s.checkpoints.sizes().stream().filter(n -> n <= size).toList();
    int[] next = {0};
    LogChecker checker = new LogChecker(workspace, verifier, () -> {
      if (next[0] >= sizes.size()) return null;
      long n = sizes.get(next[0]++);
      return new CheckpointReader.Stored(n, s.checkpoints.atSize(n).orElseThrow());
    });
    // a purged log: the purged seqs enter as the leaf hashes the store kept, the chain runs across the holes
    PurgedPrefix prefix = PurgedPrefix.of(journal, workspace);
    PurgedLogChecker purged = new PurgedLogChecker(checker, prefix);
    Failure treeMismatch = null;
    for (long from = 0; from < size && !checker.failed() && treeMismatch == null; from += LogIntegrity.CHUNK) {
      long to = Math.min(size, from + LogIntegrity.CHUNK);
      List<Entry> entries;
      try {
        entries = journal.read(workspace, from, to);
      } catch (JournalCorruptedException e) {
        // a frame of this chunk is damaged: find which one
        entries = readUntilDamaged(workspace, from, to, purged);
      }
      byte[] leaves = s.tree.nodes(0, from, (int) (to - from));
      health.progressed(); // a scrub of a large log takes long: it is not a stall
      treeMismatch = comparePurged(prefix, from, to, leaves);
      for (Entry e : entries) {
        if (treeMismatch != null) break;
        purged.accept(e.seq(), e.canonical());
        if (checker.failed()) break;
        byte[] stored = new byte[Hash.SIZE];
        System.arraycopy(leaves, (int) (e.seq() - from) * Hash.SIZE, stored, 0, Hash.SIZE);
        if (!Hash.of(stored).equals(checker.lastLeafHash())) {
          treeMismatch = new Failure(e.seq(), -1, "the journal entry at seq " + e.seq() + " hashes to " + checker.lastLeafHash()
              + " but the Merkle tree recorded " + Hash.of(stored));
          break;
        }
      }
    }
    Verdict v = purged.finish(null);
    if (v.ok() && treeMismatch != null) v = new Verdict(workspace, v.entriesChecked(), v.treeSize(), v.rootHash(), v.checkpointsVerified(), treeMismatch);
    return v;
  }

  /** The tree's leaves of the purged seqs in {@code [from, to)} against the leaf hashes the store kept; null if they agree. */
  private static Failure comparePurged(PurgedPrefix prefix, long from, long to, byte[] treeLeaves) {
    long end = Math.min(to, prefix.horizon());
    if (end <= from) return null;
    byte[] kept = prefix.leaves().read(from, end);
    for (long seq = from; seq < end; seq++) {
      int at = (int) (seq - from) * Hash.SIZE;
      if (!java.util.Arrays.equals(kept, at, at + Hash.SIZE, treeLeaves, at, at + Hash.SIZE)) {
        return new Failure(seq, -1, "the purged seq " + seq + " has the leaf hash " + Hash.of(java.util.Arrays.copyOfRange(kept, at, at + Hash.SIZE))
            + " in the store but the Merkle tree recorded " + Hash.of(java.util.Arrays.copyOfRange(treeLeaves, at, at + Hash.SIZE)));
      }
    }
    return null;
  }

  private List<Entry> readUntilDamaged(String workspace, long from, long to, PurgedLogChecker checker) {
    List<Entry> good = new ArrayList<>();
    for (long seq = from; seq < to; seq++) {
      try {
        good.addAll(journal.read(workspace, seq, seq + 1));
      } catch (JournalCorruptedException e) {
        for (Entry g : good) checker.accept(g.seq(), g.canonical());
        checker.checker().unreadable(e.getMessage());
        return List.of();
      }
    }
    return good;
  }

  /** Stops the schedule (a scrub in progress ends after its current workspace). */
  @Override
  public void close() {
    closing = true;
    if (supervisor != null) supervisor.close();
    health.stopped();
  }
}
