package org.trailbook.workload;

import java.util.List;

/**
 * A searchable marker word and the share of events that carry it, for the benchmark's free-text query. Markers sit
 * only in metadata values or request bodies, never in action, category or actor fields, and appear nowhere else.
 */
public record Marker(String word, double rate) {
  /** The rare marker: about 0.1 % of events. */
  public static final Marker QUASAR = new Marker("quasar", 0.001);
  /** The common marker: about 5 % of events. */
  public static final Marker NEBULA = new Marker("nebula", 0.05);
  public static final List<Marker> ALL = List.of(QUASAR, NEBULA);
}
