package org.trailbook.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every background part of the server, in one list: what the probes read (and what metrics can
 * bind: each part's {@link PartHealth#state()} and {@link PartHealth#failures()}). Parts that {@link PartHealth#blocksWrites()
 * block writes} make {@code /healthz} fail; any part's problem makes {@code /readyz} fail.
 */
public final class Liveness {
  /** A part that made no progress for this long counts as stalled (every loop ticks at least once a second). */
  public static final Duration STALL = Duration.ofSeconds(30);

  /**
   * One part's problem, for the probes: {@code state} is the part's {@link PartHealth.State#wireName()}
   * ({@code running} for a stalled or vanished thread) and {@code failures} its count since start.
   */
  public record Problem(String part, String reason, boolean blocksWrites, String state, long failures) {}

  private final List<PartHealth> parts;
  private final long stallNanos;

  public Liveness(List<PartHealth> parts) {
    this(parts, STALL);
  }

  public Liveness(List<PartHealth> parts, Duration stall) {
    this.parts = List.copyOf(parts);
    this.stallNanos = stall.toNanos();
  }

  public List<PartHealth> parts() {
    return parts;
  }

  /** The part named {@code name}. */
  public PartHealth part(String name) {
    for (PartHealth p : parts) if (p.part().equals(name)) return p;
    throw new IllegalArgumentException("no part " + name);
  }

  /** Every part's current problem, in registration order; empty when all are well. */
  public List<Problem> problems() {
    List<Problem> out = new ArrayList<>();
    for (PartHealth p : parts) {
      String problem = p.problem(stallNanos);
      if (problem != null) out.add(new Problem(p.part(), problem, p.blocksWrites(), p.state().wireName(), p.failures()));
    }
    return out;
  }
}
