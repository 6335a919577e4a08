package org.trailbook.verify;

import java.util.function.Supplier;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.CheckpointException;
import org.trailbook.checkpoint.WrongKeyException;
import org.trailbook.checkpoint.CheckpointReader;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.MerkleRoots;
import org.trailbook.merkle.TreeHasher;
import tools.jackson.core.JacksonException;

/**
 * Checks one workspace log as its entries stream past in seq order, hashing each entry once and
 * holding O(log n) state: seqs run 0, 1, 2, … without gaps or repeats; each entry names its own
 * {@code seq} and {@code workspace}; each {@code prev_hash} is the leaf hash of the entry before;
 * and at every stored checkpoint's size the recomputed RFC 9162 root equals the checkpoint's
 * {@code rootHash}, whose signature verifies with the log's public key and whose origin is
 * {@code <key name>/<workspace>}.
 *
 * <p>It stops at the first problem and names the first bad seq. A changed entry breaks the
 * {@code prev_hash} link into the entry after it; looking one entry further tells whether the
 * changed entry is the earlier one (the following link holds again) or the later one. A log whose
 * whole hash chain was recomputed is caught by the checkpoint root, and the first bad seq is then
 * placed at the size of the last checkpoint that still matches.
 */
public final class LogChecker {
  private final String workspace;
  private final String origin;
  private final NoteVerifier verifier;
  private final Supplier<CheckpointReader.Stored> checkpoints;
  private final TreeHasher hasher = new TreeHasher();
  private final MerkleRoots roots = new MerkleRoots();
  private CheckpointReader.Stored nextCheckpoint;
  private long expectedSeq;
  private Hash previousLeaf = Hash.ZERO;
  /** The seq whose prev_hash did not match, waiting for the next entry to tell which entry changed; -1 if none. */
  private long brokenLink = -1;
  /** A checkpoint whose root did not match while the chain held, waiting for the next entry. */
  private CheckpointReader.Stored mismatched;
  private long lastGoodCheckpoint;
  private int checkpointsVerified;
  private Failure failure;

  /**
   * @param checkpoints the workspace's stored checkpoints in ascending size, then null; only those
   *     up to the end of the entries fed are expected to be covered
   */
  public LogChecker(String workspace, NoteVerifier verifier, Supplier<CheckpointReader.Stored> checkpoints) {
    this.workspace = workspace;
    this.origin = verifier.name() + "/" + workspace;
    this.verifier = verifier;
    this.checkpoints = checkpoints;
    this.nextCheckpoint = nextCheckpointOrFail();
    advanceCheckpoints();
  }

  public String workspace() {
    return workspace;
  }

  /** The seq the next entry must have: the number of entries accepted so far. */
  public long expectedSeq() {
    return expectedSeq;
  }

  /** True once a problem was found; later entries are ignored. */
  public boolean failed() {
    return failure != null;
  }

  /** The leaf hash of the entry last accepted (the zero hash before any). */
  public Hash lastLeafHash() {
    return previousLeaf;
  }

  /** Feeds the next entry of the log as stored: its seq and its canonical bytes. */
  public void accept(long seq, byte[] canonical) {
    if (failure != null) return;
    if (seq != expectedSeq) {
      resolvePending(null);
      if (failure != null) return;
      if (seq > expectedSeq) {
        fail(Failure.atSeq(expectedSeq, "seq " + expectedSeq + " is missing: " + (expectedSeq == 0 ? "the log starts" : "seq " + (expectedSeq - 1)
            + " is followed") + " by seq " + seq + " (an entry was removed or entries were reordered)"));
      } else {
        fail(Failure.atSeq(seq, "seq " + seq + " appears again after seq " + (expectedSeq - 1)
            + " (an entry was inserted, duplicated or reordered)"));
      }
      return;
    }
    EntryFields fields;
    try {
      fields = EntryFields.of(canonical);
    } catch (JacksonException | IllegalArgumentException e) {
      resolvePending(null);
      if (failure == null) fail(Failure.atSeq(seq, "entry seq " + seq + " is not a valid log entry: " + e.getMessage()));
      return;
    }
    if (fields.seq() != seq || !workspace.equals(fields.workspace())) {
      resolvePending(null);
      if (failure == null) {
        fail(Failure.atSeq(seq, "entry seq " + seq + " was altered: it says seq " + fields.seq() + " of workspace '" + fields.workspace()
            + "' but is stored as seq " + seq + " of workspace '" + workspace + "'"));
      }
      return;
    }
    boolean linkHolds = previousLeaf.hex().equals(fields.prevHash());
    if (brokenLink >= 0 || mismatched != null) {
      resolvePending(linkHolds);
      if (failure != null) return;
    }
    if (!linkHolds) {
      if (seq == 0) {
        fail(Failure.atSeq(0, "entry seq 0 was altered: its prev_hash is " + fields.prevHash() + ", expected 64 zeros"));
        return;
      }
      brokenLink = seq;
    }
    Hash leaf = hasher.leafHash(canonical);
    roots.append(leaf);
    previousLeaf = leaf;
    expectedSeq++;
    advanceCheckpoints();
  }

  /**
   * Feeds the next seq of a purged log whose entry was purged: only its leaf hash is known (the store keeps it), so it
   * goes into the tree and the entry after it must chain to it. Nothing else of it can be checked; the checkpoints
   * covering it check the leaf.
   */
  public void acceptPurged(long seq, Hash leaf) {
    if (failure != null) return;
    if (seq != expectedSeq) {
      resolvePending(null);
      fail(Failure.atSeq(Math.min(seq, expectedSeq), "purged seq " + seq + " out of order: seq " + expectedSeq + " was expected next"));
      return;
    }
    if (brokenLink >= 0 || mismatched != null) {
      resolvePending(null);
      if (failure != null) return;
    }
    roots.append(leaf);
    previousLeaf = leaf;
    expectedSeq++;
    advanceCheckpoints();
  }

  /** Records a problem found outside the entries' own checks (a purged log's leaf record); the first one counts. */
  public void problem(long seq, String message) {
    fail(Failure.atSeq(seq, message));
  }

  /** Reports that the next entry's bytes are unreadable ({@code where} says where and why). */
  public void unreadable(String where) {
    if (failure != null) return;
    resolvePending(null);
    if (failure == null) {
      fail(Failure.atSeq(expectedSeq, "the journal frame after seq " + (expectedSeq - 1) + " is damaged (" + where + "): seq "
          + expectedSeq + " and later cannot be checked"));
    }
  }

  /**
   * Ends the log: every remaining stored checkpoint is beyond the entries, which means entries
   * are missing. {@code endNote} (may be null) explains how the entries ended, for the message.
   */
  public Verdict finish(String endNote) {
    if (failure == null) resolvePending(null);
    if (failure == null && nextCheckpoint != null) {
      long size = nextCheckpoint.treeSize();
      if (checkSignature(nextCheckpoint) != null) {
        fail(Failure.atSeq(expectedSeq, "the log ends after " + expectedSeq + " entries but a checkpoint of size " + size
            + " was signed: entries from seq " + expectedSeq + " on are missing (the journal was truncated or entries removed)"
            + (endNote == null ? "" : "; " + endNote)));
      }
    }
    return verdict();
  }

  /** The verdict so far, for a log checked up to here (a scrub of a growing log stops at a size). */
  public Verdict verdict() {
    return new Verdict(workspace, expectedSeq, roots.size(), roots.root(), checkpointsVerified, failure);
  }

  private void resolvePending(Boolean nextLinkHolds) {
    if (brokenLink >= 0) {
      long b = brokenLink;
      brokenLink = -1;
      if (nextLinkHolds == null) {
        fail(Failure.atSeq(b - 1, "entry seq " + (b - 1) + " or seq " + b + " (the last entry) was altered: the hash of seq " + (b - 1)
            + " does not match the prev_hash recorded in seq " + b));
      } else if (nextLinkHolds) {
        fail(Failure.atSeq(b - 1, "entry seq " + (b - 1) + " was altered: its hash no longer matches the prev_hash recorded in seq " + b));
      } else {
        fail(Failure.atSeq(b, "entry seq " + b + " was altered: its prev_hash does not match the hash of seq " + (b - 1)
            + ", and its own hash does not match the prev_hash recorded in seq " + (b + 1)));
      }
    } else if (mismatched != null) {
      long size = mismatched.treeSize();
      mismatched = null;
      if (nextLinkHolds == null || !nextLinkHolds) {
        fail(Failure.atSeq(size - 1, "entry seq " + (size - 1) + " was altered: the entries up to it do not reproduce the root of the signed "
            + "checkpoint of size " + size));
      } else {
        fail(Failure.atSeq(lastGoodCheckpoint, "entries from seq " + lastGoodCheckpoint + " to " + (size - 1) + " were rewritten (with a "
            + "recomputed hash chain): they do not reproduce the root of the signed checkpoint of size " + size
            + (lastGoodCheckpoint > 0 ? ", while the checkpoint of size " + lastGoodCheckpoint + " still matches" : "")));
      }
    }
  }

  private void advanceCheckpoints() {
    while (failure == null && nextCheckpoint != null && nextCheckpoint.treeSize() == roots.size()) {
      CheckpointReader.Stored cp = nextCheckpoint;
      Checkpoint signed = checkSignature(cp);
      if (signed == null) return;
      if (!signed.rootHash().equals(roots.root())) {
        if (brokenLink < 0 && mismatched == null) mismatched = cp; // the chain explains it otherwise
      } else if (brokenLink < 0 && mismatched == null) {
        lastGoodCheckpoint = cp.treeSize();
        checkpointsVerified++;
      }
      nextCheckpoint = nextCheckpointOrFail();
    }
  }

  /** The checkpoint if its signature, origin and size hold; otherwise records the failure and returns null. */
  private Checkpoint checkSignature(CheckpointReader.Stored cp) {
    try {
      Checkpoint c = verifier.verifyCheckpoint(cp.signedNote(), origin);
      if (c.treeSize() != cp.treeSize()) {
        fail(Failure.atCheckpoint(cp.treeSize(), "the checkpoint stored for size " + cp.treeSize() + " says tree size " + c.treeSize()));
        return null;
      }
      return c;
    } catch (WrongKeyException e) {
      fail(Failure.atCheckpoint(cp.treeSize(), "the checkpoint of size " + cp.treeSize() + " is " + e.getMessage()
          + " (if that is the verifier key of this log, the checkpoint was forged)"));
      return null;
    } catch (CheckpointException e) {
      fail(Failure.atCheckpoint(cp.treeSize(), "the checkpoint of size " + cp.treeSize() + " is forged or altered: " + e.getMessage()));
      return null;
    }
  }

  private CheckpointReader.Stored nextCheckpointOrFail() {
    try {
      return checkpoints.get();
    } catch (CheckpointException e) {
      fail(Failure.atCheckpoint(roots.size(), e.getMessage()));
      return null;
    }
  }

  private void fail(Failure f) {
    if (failure == null) failure = f;
  }
}
