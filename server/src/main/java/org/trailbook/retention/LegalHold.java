package org.trailbook.retention;

import java.time.Instant;

/**
 * A legal hold on a workspace: while one is active nothing of the workspace is purged. It ends when released or at
 * {@code endsAt} (null: only when released).
 *
 * @param placedBy who placed it: the platform admin or an API key id
 */
public record LegalHold(String id, String workspace, String reason, Instant placedAt, Instant endsAt, Instant releasedAt, String placedBy) {
  /**
   * Whether the hold suspends purging at {@code now}: not released and not past its end. The time it was placed is
   * not compared: another node's clock may run a little behind, and a hold must hold from the moment it is stored.
   */
  public boolean activeAt(Instant now) {
    return releasedAt == null && (endsAt == null || endsAt.isAfter(now));
  }

  /** This hold released at {@code at}. */
  public LegalHold releasedAt(Instant at) {
    return new LegalHold(id, workspace, reason, placedAt, endsAt, at, placedBy);
  }
}
