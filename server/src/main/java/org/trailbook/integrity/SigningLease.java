package org.trailbook.integrity;

import java.time.Duration;
import java.util.Optional;
import org.trailbook.health.PartHealth;

/**
 * Who may sign checkpoints: exactly one node at a time. On the embedded store that is always this
 * node ({@link SingleNodeLease}); on PostgreSQL it is whichever node holds an advisory lock
 * ({@code postgres.PostgresSigningLease}), handed over when its holder stops or dies.
 *
 * <p>The signer asks {@link #held()} right before each signing pass and skips the pass when it
 * answers false. Two leaders can overlap only for the time between that check and the end of the
 * pass; checkpoints signed then are still consistent (both sign tree heads of the one log), so the
 * lease protects against duplicate work and racing writes of the checkpoint store, not against
 * forged history.
 */
public interface SigningLease extends AutoCloseable {

  /**
   * Whether this node may sign now. Trusts a confirmation only for a short moment; past it, asks
   * the store (one round trip, bounded by a timeout), so a lost connection answers false at the next
   * call. May block briefly: meant once per signing pass, not per event.
   */
  boolean held();

  /** The last known answer of {@link #held()}, without asking the store: for metrics and probes. */
  boolean knownHeld();

  /** Waits until this node holds the lease or {@code timeout} passes; answers {@link #held()}. */
  boolean awaitHeld(Duration timeout) throws InterruptedException;

  /** The health of the background part that keeps the lease, if there is one to watch. */
  Optional<PartHealth> health();

  /** Gives the lease up (another node may take it at once) and stops trying to get it. */
  @Override
  void close();
}
