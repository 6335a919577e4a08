package org.trailbook.verify;

import org.trailbook.merkle.Hash;

/**
 * The outcome of checking one workspace log: how many entries were re-hashed, the tree size and
 * root they give, how many signed checkpoints matched, and the first {@link Failure} (null if the
 * log holds).
 */
public record Verdict(String workspace, long entriesChecked, long treeSize, Hash rootHash, int checkpointsVerified, Failure failure) {
  public boolean ok() {
    return failure == null;
  }

  /** One line for a person: the workspace, then OK with the numbers, or FAILED with what and where. */
  public String line() {
    if (ok()) {
      return workspace + ": OK — " + entriesChecked + " entries checked, tree size " + treeSize + ", root " + rootHash.base64() + ", "
          + checkpointsVerified + " signed checkpoints verified";
    }
    String where = failure.seq() >= 0 ? "at seq " + failure.seq() : "at the checkpoint of size " + failure.checkpointSize();
    return workspace + ": FAILED " + where + " — " + failure.message();
  }
}
