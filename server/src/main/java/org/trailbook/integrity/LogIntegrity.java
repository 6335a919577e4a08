package org.trailbook.integrity;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.OverloadedException;
import org.trailbook.AtomicFiles;
import org.trailbook.TrailbookException;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.CheckpointLog;
import org.trailbook.checkpoint.Checkpoints;
import org.trailbook.checkpoint.FileCheckpoints;
import org.trailbook.checkpoint.LogKey;
import org.trailbook.secrets.FileServerSecrets;
import org.trailbook.secrets.ServerSecrets;
import org.trailbook.health.PartHealth;
import org.trailbook.journal.EventStore;
import org.trailbook.journal.JournalUnavailableException;
import org.trailbook.merkle.ConsistencyProof;
import org.trailbook.merkle.InclusionProof;
import org.trailbook.merkle.TreeStore;
import org.trailbook.verify.BundleWriter;
import org.trailbook.verify.Verdict;

/**
 * The server's side of verifiable integrity. Per workspace it keeps an RFC 9162 Merkle tree under
 * {@code DIR/tree/<workspace>/} (appended to by the {@link TreeAppender}, which follows the commit
 * feed on its own thread, so a tree may lag the log by a moment; checkpoints are signed of what the
 * trees hold, and a proof or tree size asked for an entry acknowledged a moment ago waits for its
 * tree, up to 5 s) and every checkpoint ever signed under {@code DIR/checkpoints/<workspace>/},
 * signed with the log key of {@code DIR/keys/log.key}.
 *
 * <p>At start each workspace's tree is brought level with the journal (missing leaves re-hashed
 * from it) and checked: a tree longer than the journal, tail leaves that differ from the journal's,
 * a journal shorter than the latest signed checkpoint, or a latest checkpoint whose root is not the
 * tree's root at its size means tampering or damage; the workspace is then refused for writes
 * ({@link WorkspaceRefusedException}, 503) with an ERROR log line, and nothing is repaired. The
 * scrubber ({@link #scrub}) re-verifies whole logs the same way {@code trailbook verify} does, and
 * refuses a workspace that fails.
 *
 * <p>Three parts report their health ({@link #treeAppenderHealth()}, {@link #signerHealth()},
 * {@link #scrubberHealth()}). The tree appender blocks writes when it fails (an I/O fault on a tree
 * file, or an Error) and stays failed: proofs depend on the trees, so no write is acknowledged that
 * could not be proven; the trees are rebuilt from the journal at the next start. The signer and the
 * scrubber run under a {@link Supervisor} and only affect readiness: a failed pass is retried (the
 * signer with back-off, the scrubber at its next scheduled run).
 */
public final class LogIntegrity implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LogIntegrity.class);
  static final int CHUNK = 4096;
  /** How long a proof request waits for the tree to hold a just-acknowledged entry. */
  private static final long COVER_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final Path treeRoot;
  private final Path checkpointRoot;
  private final Checkpoints checkpointStore;
  private final LogKey key;
  private final EventStore journal;
  private final IntegrityConfig config;
  private final Map<String, WorkspaceTree> workspaces = new ConcurrentHashMap<>();
  private final AtomicLong failures = new AtomicLong();
  final CheckpointSigner signer; // package-private for tests (its fault hook)
  final Scrubber scrubber; // package-private for tests (its fault hook)
  /** See {@link #newestCheckpointMillis()}: the newest checkpoint that existed when the server started. */
  private volatile long newestAtStartMillis = -1;
  private final PartHealth treeAppender = new PartHealth("tree_appender", "the Merkle tree appender",
      "writes are refused until it recovers (after a fault writing a tree: until the server restarts, which rebuilds the trees from the journal)", true);
  private final TreeOpener opener;
  private final SigningLease lease;
  final TreeAppender appender; // package-private for tests (its fault hook)

  private LogIntegrity(Path treeRoot, Path checkpointRoot, Checkpoints checkpointStore, LogKey key, EventStore journal, SigningLease lease,
      IntegrityConfig config) {
    this.treeRoot = treeRoot;
    this.checkpointRoot = checkpointRoot;
    this.checkpointStore = checkpointStore;
    this.key = key;
    this.journal = journal;
    this.config = config;
    this.lease = lease;
    this.signer = new CheckpointSigner(key, this::origin, workspaces.values(), lease, this::refreshLatest);
    this.scrubber = new Scrubber(workspaces, journal, key.verifier(), this::refuse);
    this.opener = new TreeOpener(treeRoot, checkpointStore, key, journal, this::origin, this::refuse);
    this.appender = new TreeAppender(journal, ws -> workspaces.computeIfAbsent(ws, opener::open), this::refuse, treeAppender);
  }

  /**
   * Loads or creates the log key, checks and catches up every workspace's tree, then starts the
   * tree appender (following the journal's commit feed), the signer and the scrubber.
   */
  public static LogIntegrity open(Path dataRoot, String serverName, EventStore journal, IntegrityConfig config) {
    return open(dataRoot, serverName, journal, FileCheckpoints.open(dataRoot.resolve("checkpoints")),
        new FileServerSecrets(dataRoot.resolve("keys")), new SingleNodeLease(), config);
  }

  /**
   * As {@link #open(Path, String, EventStore, IntegrityConfig)}, on a given store: the checkpoints kept by
   * {@code checkpoints} (closed by {@link #close}), the log key from {@code secrets} unless configured, and
   * checkpoints signed only while this node holds {@code lease} (with several nodes, one signs; the others
   * read what it signed from the shared store and check it against their own trees).
   */
  public static LogIntegrity open(Path dataRoot, String serverName, EventStore journal, Checkpoints checkpoints, ServerSecrets secrets,
      SigningLease lease, IntegrityConfig config) {
    LogKey key = LogKeys.load(dataRoot.resolve("keys"), secrets, serverName, config.logKey());
    LogIntegrity li = new LogIntegrity(dataRoot.resolve("tree"), dataRoot.resolve("checkpoints"), checkpoints, key, journal, lease, config);
    try {
      for (String ws : li.knownWorkspaces()) li.workspaces.put(ws, li.opener.open(ws));
    } catch (RuntimeException e) {
      li.workspaces.values().forEach(WorkspaceTree::close);
      throw e;
    }
    li.newestAtStartMillis = li.newestStoredCheckpointMillis();
    li.appender.start();
    li.signer.start(config.checkpointInterval());
    if (config.scrubInterval().toMillis() > 0) li.scrubber.start(config.scrubInterval());
    return li;
  }

  /** The last modification of the checkpoint directory of any workspace that has a checkpoint, or -1. */
  private long newestStoredCheckpointMillis() {
    long newest = -1;
    for (WorkspaceTree s : workspaces.values()) {
      if (s.checkpoints == null || s.latest() == null || !Files.isDirectory(checkpointRoot.resolve(s.workspace))) continue;
      try (var files = Files.list(checkpointRoot.resolve(s.workspace))) {
        for (Path f : (Iterable<Path>) files::iterator) newest = Math.max(newest, Files.getLastModifiedTime(f).toMillis());
      } catch (IOException e) {
        log.warn("cannot read the time of the checkpoints of workspace {}: {}", s.workspace, e.toString());
      }
    }
    return newest;
  }

  private Set<String> knownWorkspaces() {
    Set<String> all = new TreeSet<>(journal.workspaces());
    for (Path root : List.of(treeRoot, checkpointRoot)) {
      if (!Files.isDirectory(root)) continue;
      try (var dirs = Files.list(root)) {
        dirs.filter(Files::isDirectory).forEach(d -> all.add(d.getFileName().toString()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + root, e);
      }
    }
    return all;
  }

  private void refuse(WorkspaceTree s, String reason) {
    if (s.refuse(reason)) {
      failures.incrementAndGet();
      log.error("INTEGRITY FAILURE in workspace {}: {}. Writes to it are refused until an operator restores its data and restarts the server.",
          s.workspace, reason);
    }
  }

  // ------------------------------------------------------------------ writing

  /**
   * Throws {@link JournalUnavailableException} while the tree appender is failed (every workspace),
   * or {@link WorkspaceRefusedException} if writes to {@code workspace} are refused for integrity.
   */
  public void checkWritable(String workspace) {
    PartHealth.Failure f = treeAppender.failure();
    if (f != null) throw new JournalUnavailableException(f.reason(), f.cause());
    WorkspaceTree s = workspaces.get(workspace);
    String refusal = s == null ? null : s.refusal();
    if (refusal != null) {
      throw new WorkspaceRefusedException("workspace '" + workspace + "' refuses writes: its log failed an integrity check (" + refusal
          + "). An operator must restore its data and restart the server.");
    }
  }

  /** {@code store} with every append first passing {@link #checkWritable}. */
  public EventStore guard(EventStore store) {
    return new GuardedEventStore(store, this);
  }

  // ------------------------------------------------------------------ signing

  /**
   * Signs a checkpoint now of everything the log holds, for every workspace whose tree grew since its last one (the
   * signer does this on its interval): first waits, bounded, for the trees to take the log's newest entries.
   */
  public void signDue() {
    for (String ws : journal.workspaces()) treeSize(ws); // the trees follow the log: first let them hold what it holds now
    signer.signDue();
  }

  // ------------------------------------------------------------------ reading

  public String verifierKey() {
    return key.verifierKey();
  }

  public String origin(String workspace) {
    return key.name() + "/" + workspace;
  }

  /** The latest signed checkpoint of {@code workspace}, as its signed note. */
  public Optional<String> latestCheckpoint(String workspace) {
    WorkspaceTree s = workspaces.get(workspace);
    WorkspaceTree.Signed latest = s == null ? null : s.latest();
    return Optional.ofNullable(latest).map(WorkspaceTree.Signed::note);
  }

  /**
   * The treeSize of the latest signed checkpoint of {@code workspace} this node knows, 0 if none: a purge never reaches
   * beyond it, so every purged leaf is covered by a signed checkpoint.
   */
  public long latestCheckpointSize(String workspace) {
    WorkspaceTree s = workspaces.get(workspace);
    WorkspaceTree.Signed latest = s == null ? null : s.latest();
    return latest == null ? 0 : latest.treeSize();
  }

  /** The checkpoint signed at exactly {@code treeSize}, if one was. */
  public Optional<String> checkpointAt(String workspace, long treeSize) {
    WorkspaceTree s = workspaces.get(workspace);
    if (s == null || s.checkpoints == null) return Optional.empty();
    return s.checkpoints.atSize(treeSize);
  }

  /**
   * The number of leaves in the workspace's tree: the largest size proofs can be asked for. The tree
   * follows the log, so this first waits (up to 5 s) until it holds every entry the log held when
   * asked: an entry acknowledged a moment ago can be proven at once. Answers at once when the tree
   * cannot grow (the appender failed, or the workspace is refused).
   *
   * @throws OverloadedException (503, retry) when the tree did not catch up in time
   */
  public long treeSize(String workspace) {
    long logSize = journal.size(workspace);
    WorkspaceTree s = tracked(workspace, logSize);
    if (s == null || s.tree == null) return 0;
    long deadline = System.nanoTime() + COVER_WAIT_NANOS;
    try {
      while (s.tree.size() < logSize && treeAppender.failure() == null && s.refusal() == null) {
        if (!s.awaitLeaf(logSize - 1, deadline, () -> treeAppender.failure() != null) && treeAppender.failure() == null) {
          throw new OverloadedException("the Merkle tree of workspace '" + workspace + "' does not hold seq " + (logSize - 1) + " yet; retry shortly", 1);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OverloadedException("interrupted while waiting for the tree", 1);
    }
    return s.tree.size();
  }

  /**
   * The workspace's integrity state; opened (and its tree caught up from the log) here if the log
   * has entries but the appender has not come to the workspace yet; null for a workspace without entries.
   */
  private WorkspaceTree tracked(String workspace, long logSize) {
    WorkspaceTree s = workspaces.get(workspace);
    if (s == null && logSize > 0) s = workspaces.computeIfAbsent(workspace, opener::open);
    return s;
  }

  public InclusionProof inclusionProof(String workspace, long leafIndex, long treeSize) {
    return tree(workspace).inclusionProof(leafIndex, treeSize);
  }

  public ConsistencyProof consistencyProof(String workspace, long fromSize, long toSize) {
    return tree(workspace).consistencyProof(fromSize, toSize);
  }

  /** A signed checkpoint and the inclusion proof of {@code seq} against it. */
  public record EntryProof(String checkpoint, InclusionProof proof) {}

  /**
   * The latest checkpoint covering {@code seq} and the entry's inclusion proof against it. If the
   * entry is newer than the latest checkpoint, one is signed now (so the answer always verifies),
   * after waiting briefly for the tree to hold the just-acknowledged entry.
   */
  public EntryProof proofFor(String workspace, long seq) {
    WorkspaceTree s = tracked(workspace, journal.size(workspace));
    if (s == null || s.tree == null) throw new OverloadedException("the log of workspace '" + workspace + "' has no tree yet; retry shortly", 1);
    long deadline = System.nanoTime() + COVER_WAIT_NANOS;
    try {
      while (true) {
        WorkspaceTree.Signed latest = s.latest();
        if (latest != null && latest.treeSize() > seq) {
          if (s.tree.size() >= latest.treeSize()) return new EntryProof(latest.note(), s.tree.inclusionProof(seq, latest.treeSize()));
          // a checkpoint signed by another node is ahead of this node's tree: wait (bounded) for the tree to reach it
          if (!s.awaitLeaf(latest.treeSize() - 1, deadline, () -> treeAppender.failure() != null)) {
            if (treeAppender.failure() != null) throw new JournalUnavailableException(treeAppender.failure().reason(), null);
            throw new OverloadedException("the Merkle tree of workspace '" + workspace + "' does not reach the latest checkpoint ("
                + latest.treeSize() + ") yet; retry shortly", 1);
          }
          continue;
        }
        if (s.tree.size() > seq) {
          if (s.refusal() != null) throw new WorkspaceRefusedException("workspace '" + workspace + "' failed an integrity check: no new checkpoints are signed");
          if (lease.held()) {
            signer.signIfGrown(s);
          } else {
            // another node signs: wait (bounded) for its next checkpoint to reach the shared store
            refreshLatest(s);
            if (s.latest() == null || s.latest().treeSize() <= seq) {
              if (System.nanoTime() > deadline) {
                throw new OverloadedException("no checkpoint covers seq " + seq + " of workspace '" + workspace + "' yet; retry shortly", 1);
              }
              java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
          }
        } else if (treeAppender.failure() != null) {
          throw new JournalUnavailableException(treeAppender.failure().reason(), null);
        } else if (!s.awaitLeaf(seq, deadline, () -> treeAppender.failure() != null) && treeAppender.failure() == null) {
          throw new OverloadedException("the Merkle tree of workspace '" + workspace + "' does not hold seq " + seq + " yet; retry shortly", 1);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OverloadedException("interrupted while waiting for the tree", 1);
    }
  }

  /**
   * Writes a verification bundle of {@code selection} (see {@link BundleWriter}) against the latest
   * checkpoint, signing one first if the selection reaches beyond it. For the export feature.
   */
  public void writeBundle(String workspace, BundleWriter.Selection selection, UnaryOperator<byte[]> redaction, OutputStream out) {
    writeBundle(workspace, selection, redaction, List.of(), out);
  }

  /** As {@link #writeBundle(String, BundleWriter.Selection, UnaryOperator, OutputStream)}, with further zip members after the bundle's own. */
  public void writeBundle(String workspace, BundleWriter.Selection selection, UnaryOperator<byte[]> redaction, List<BundleWriter.Extra> extras,
      OutputStream out) {
    EntryProof covering = proofFor(workspace, selection.last());
    BundleWriter.write(out, journal, tree(workspace), workspace, covering.checkpoint(), selection, redaction, extras);
  }

  private TreeStore tree(String workspace) {
    WorkspaceTree s = workspaces.get(workspace);
    if (s == null || s.tree == null) {
      throw new org.trailbook.InvalidInputException("out_of_range", "the log of workspace '" + workspace + "' is empty");
    }
    return s.tree;
  }

  /**
   * Takes a checkpoint newer than the one this node knows from the shared store (signed by another node,
   * or before this node started), checks its signature, and compares it with this node's tree once the
   * tree covers it: a mismatch refuses the workspace, as at start.
   */
  private void refreshLatest(WorkspaceTree s) {
    if (s.checkpoints == null || s.refusal() != null) return;
    Optional<String> stored = s.checkpoints.latest();
    WorkspaceTree.Signed known = s.latest();
    WorkspaceTree.Signed newest = stored.map(WorkspaceTree.Signed::of).orElse(null);
    if (newest != null && (known == null || newest.treeSize() > known.treeSize())) {
      try {
        key.verifier().verifyCheckpoint(newest.note(), origin(s.workspace));
      } catch (TrailbookException e) {
        refuse(s, "a checkpoint in the store (size " + newest.treeSize() + ") does not verify with the log key: " + e.getMessage());
        return;
      }
      s.learned(newest);
    }
    // also a checkpoint learned earlier, while this tree was shorter: compared once, before anything is signed past it
    String problem = s.compareWithLatest();
    if (problem != null) refuse(s, problem);
  }

  // ------------------------------------------------------------------ scrubbing

  /** Re-verifies every workspace's whole log now (see {@link #scrub}); returns the verdicts. */
  public List<Verdict> scrubAll() {
    for (String ws : journal.workspaces()) awaitTree(ws);
    return scrubber.scrubAll();
  }

  /**
   * Re-verifies one workspace's log up to its tree size, once the tree took what the log holds now
   * (see {@link Scrubber#scrub}); a failure refuses the workspace for writes.
   */
  public Verdict scrub(String workspace) {
    awaitTree(workspace);
    return scrubber.scrub(workspace);
  }

  /** Lets the tree take the log's newest entries first (bounded), so a scrub asked for now covers what was acknowledged. */
  private void awaitTree(String workspace) {
    try {
      treeSize(workspace);
    } catch (OverloadedException | JournalUnavailableException | WorkspaceRefusedException e) {
      // the tree cannot catch up now: the scrub covers what it holds
    }
  }

  // ------------------------------------------------------------------ health

  /** How many integrity failures were found since start (start-up checks and scrubs). */
  public long failures() {
    return failures.get();
  }

  /** How many workspaces currently refuse writes. */
  public long refusedWorkspaces() {
    return workspaces.values().stream().filter(s -> s.refusal() != null).count();
  }

  public long checkpointsSigned() {
    return signer.signedTotal();
  }

  /**
   * When the newest checkpoint of any workspace was signed (wall clock, ms), or -1 if none exists. Checkpoints carry
   * no time of their own: one signed by this process is timed as it is signed, an older one by the last change of
   * its workspace's checkpoint directory (the store is append-only), read once at start.
   */
  public long newestCheckpointMillis() {
    return Math.max(signer.lastSignedMillis(), newestAtStartMillis);
  }

  /** Sets what is told the duration (ns) of every checkpoint signed from now on: tree fsync, signature, store. */
  public void observeSigning(java.util.function.LongConsumer nanos) {
    signer.observeSigning(nanos);
  }

  /** The tree appender (follows the commit feed on its own thread): blocks writes when failed. */
  public PartHealth treeAppenderHealth() {
    return treeAppender;
  }

  /** The checkpoint signer: readiness only. */
  public PartHealth signerHealth() {
    return signer.health();
  }

  /** The scheduled scrubber: readiness only. */
  public PartHealth scrubberHealth() {
    return scrubber.health();
  }

  /**
   * Lets the tree appender take the log's last entries, stops it, the signer and the scrubber, signs a
   * last checkpoint for every grown tree, then closes every file. Call once nothing appends any more,
   * before the journal closes.
   */
  @Override
  public void close() {
    appender.close();
    scrubber.close();
    signer.close();
    for (WorkspaceTree s : workspaces.values()) {
      try {
        s.close();
      } catch (RuntimeException e) {
        log.error("cannot close the tree or checkpoints of workspace {}", s.workspace, e);
      }
    }
    checkpointStore.close();
  }
}
