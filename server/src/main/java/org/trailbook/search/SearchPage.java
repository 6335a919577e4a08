package org.trailbook.search;

import java.util.List;
import java.util.Map;
import org.trailbook.journal.Entry;

/**
 * A page of events with the cursor for the next one (null on the last page), the total when asked for (exact up to
 * {@link EventSearch#MAX_EXACT_TOTAL}, then a lower bound) and facet counts when asked for.
 */
public record SearchPage(List<Entry> events, Cursor next, Long total, boolean totalIsLowerBound, Map<String, List<FacetCount>> facets) {
  /** One value of a facet and how many matching events have it. */
  public record FacetCount(String value, long count) {}
}
