package org.trailbook.integrity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.OverloadedException;
import org.trailbook.TrailbookException;
import org.trailbook.checkpoint.CheckpointLog;
import org.trailbook.checkpoint.Checkpoints;
import org.trailbook.checkpoint.LogKey;
import org.trailbook.journal.Entry;
import org.trailbook.journal.JournalUnavailableException;
import org.trailbook.journal.EventStore;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;
import org.trailbook.merkle.TreeStore;

/**
 * Opens a workspace's tree and checkpoints and runs the start-up check (see {@link LogIntegrity}):
 * the latest checkpoint verifies with the log key and the log holds it, the tree is not longer than
 * the log and its last leaves match the log's entries, the missing leaves are re-hashed from the log,
 * and the latest checkpoint's root is the tree's at its size. A workspace that fails is refused.
 */
final class TreeOpener {
  private static final Logger log = LoggerFactory.getLogger(TreeOpener.class);
  /** How many of a tree's last leaves the start-up check compares with the journal. */
  private static final int TAIL_CHECK = 8;

  private final Path treeRoot;
  private final Checkpoints checkpointStore;
  private final LogKey key;
  private final EventStore journal;
  private final UnaryOperator<String> origin;
  private final BiConsumer<WorkspaceTree, String> refuse;

  TreeOpener(Path treeRoot, Checkpoints checkpointStore, LogKey key, EventStore journal, UnaryOperator<String> origin, BiConsumer<WorkspaceTree, String> refuse) {
    this.treeRoot = treeRoot;
    this.checkpointStore = checkpointStore;
    this.key = key;
    this.journal = journal;
    this.origin = origin;
    this.refuse = refuse;
  }

  /** Opens a workspace's tree and checkpoints and runs the start-up check; refuses the workspace on any mismatch. */
  WorkspaceTree open(String ws) {
    CheckpointLog checkpoints;
    try {
      checkpoints = checkpointStore.log(ws);
    } catch (TrailbookException e) {
      WorkspaceTree broken = new WorkspaceTree(ws, null, null);
      refuse.accept(broken, "its checkpoint store cannot be read: " + e.getMessage());
      return broken;
    }
    TreeStore tree;
    try {
      tree = TreeStore.open(treeRoot.resolve(ws));
    } catch (TrailbookException e) {
      checkpoints.close();
      WorkspaceTree broken = new WorkspaceTree(ws, null, null);
      refuse.accept(broken, "its Merkle tree cannot be opened (" + e.getMessage() + "); move " + treeRoot.resolve(ws)
          + " away to rebuild it from the journal");
      return broken;
    }
    WorkspaceTree state;
    try {
      state = new WorkspaceTree(ws, tree, checkpoints);
    } catch (JournalUnavailableException | OverloadedException e) {
      // the store is unreachable for now, which says nothing about this workspace's integrity: the appender retries
      tree.close();
      checkpoints.close();
      throw e;
    } catch (TrailbookException e) {
      tree.close();
      checkpoints.close();
      WorkspaceTree broken = new WorkspaceTree(ws, null, null);
      refuse.accept(broken, "its latest checkpoint cannot be read: " + e.getMessage());
      return broken;
    }
    String problem;
    try {
      problem = check(state);
    } catch (RuntimeException e) {
      // a journal read failed half-way (the store unreachable): close, so the retry opens the tree afresh
      tree.close();
      checkpoints.close();
      throw e;
    }
    if (problem != null) refuse.accept(state, problem);
    return state;
  }

  /**
   * The leaf hashes of seqs {@code [from, to)}: below the purge horizon the ones the store kept for the purged prefix
   * (kept entries included: the store keeps every leaf below the horizon), above it hashed from the entries.
   */
  private List<Hash> leaves(String ws, long from, long to, long horizon) {
    List<Hash> leaves = new ArrayList<>((int) (to - from));
    long split = Math.min(to, Math.max(from, horizon));
    if (split > from) {
      byte[] hashes = journal.purgedLeaves(ws, from, split);
      for (int i = 0; i < hashes.length; i += Hash.SIZE) leaves.add(Hash.of(java.util.Arrays.copyOfRange(hashes, i, i + Hash.SIZE)));
    }
    if (to > split) {
      TreeHasher hasher = new TreeHasher();
      List<Entry> entries = journal.read(ws, split, to);
      if (entries.size() != to - split) {
        // a purge moved the horizon past these seqs since it was read: the caller retries with the new horizon
        throw new OverloadedException("the log of workspace '" + ws + "' was purged while its tree was caught up; retry", 1);
      }
      for (Entry e : entries) leaves.add(hasher.leafHash(e.canonical()));
    }
    return leaves;
  }

  /** The start-up check and catch-up; returns what is wrong, or null. */
  private String check(WorkspaceTree s) {
    long journalSize = journal.size(s.workspace);
    long treeSize = s.tree.size();
    WorkspaceTree.Signed latest = s.latest();
    if (latest != null) {
      try {
        key.verifier().verifyCheckpoint(latest.note(), origin.apply(s.workspace));
      } catch (TrailbookException e) {
        return "its latest checkpoint (size " + latest.treeSize() + ") does not verify with the log key: " + e.getMessage();
      }
      if (latest.treeSize() > journalSize) {
        return "the journal holds " + journalSize + " entries but a checkpoint of size " + latest.treeSize()
            + " was signed: entries from seq " + journalSize + " on are missing (restore the journal from a backup)";
      }
    }
    if (treeSize > journalSize) {
      return "its Merkle tree holds " + treeSize + " leaves but the journal only " + journalSize + " entries";
    }
    long horizon = journal.purgedBefore(s.workspace);
    long from = Math.max(0, treeSize - TAIL_CHECK);
    if (treeSize > 0) {
      byte[] stored = s.tree.nodes(0, from, (int) (treeSize - from));
      List<Hash> logLeaves = leaves(s.workspace, from, treeSize, horizon);
      for (int i = 0; i < logLeaves.size(); i++) {
        Hash journalLeaf = logLeaves.get(i);
        byte[] expected = new byte[Hash.SIZE];
        System.arraycopy(stored, i * Hash.SIZE, expected, 0, Hash.SIZE);
        if (!Hash.of(expected).equals(journalLeaf)) {
          return "the journal entry at seq " + (from + i) + " hashes to " + journalLeaf + " but the Merkle tree recorded " + Hash.of(expected);
        }
      }
    }
    for (long at = treeSize; at < journalSize; at += LogIntegrity.CHUNK) {
      s.tree.append(leaves(s.workspace, at, Math.min(journalSize, at + LogIntegrity.CHUNK), horizon));
    }
    if (journalSize > treeSize) log.info("tree of workspace {}: re-hashed {} entries from the journal", s.workspace, journalSize - treeSize);
    // the tree covers the latest checkpoint here (it holds the whole log); if it did not (a checkpoint
    // from another node ahead of this node's log), the appender compares once it does
    String mismatch = s.compareWithLatest();
    if (mismatch != null) return mismatch;
    s.tree.sync();
    return null;
  }
}
