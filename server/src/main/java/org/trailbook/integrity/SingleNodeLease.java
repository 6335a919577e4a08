package org.trailbook.integrity;

import java.time.Duration;
import java.util.Optional;
import org.trailbook.health.PartHealth;

/**
 * The lease of the embedded store: one process owns the data directory (its lock file sees to
 * that), so this node always signs, until it closes.
 */
public final class SingleNodeLease implements SigningLease {
  private volatile boolean closed;

  @Override
  public boolean held() {
    return !closed;
  }

  @Override
  public boolean knownHeld() {
    return !closed;
  }

  @Override
  public boolean awaitHeld(Duration timeout) {
    return !closed;
  }

  @Override
  public Optional<PartHealth> health() {
    return Optional.empty();
  }

  @Override
  public void close() {
    closed = true;
  }
}
