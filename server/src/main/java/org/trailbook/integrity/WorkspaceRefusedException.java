package org.trailbook.integrity;

import org.trailbook.TrailbookException;

/**
 * Writes to a workspace are refused because its log failed an integrity check (answered with
 * 503): its history no longer matches its signed checkpoints or its Merkle tree, and the server
 * never repairs history silently. An operator must restore the data and restart.
 */
public class WorkspaceRefusedException extends TrailbookException {
  public WorkspaceRefusedException(String message) {
    super(message);
  }
}
