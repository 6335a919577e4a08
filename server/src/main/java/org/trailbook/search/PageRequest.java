package org.trailbook.search;

import java.util.List;

/**
 * One page of {@code GET /v1/events}: the filter, the order ({@code time} then {@code seq}, newest first unless
 * {@code ascending}), the page size, where the previous page ended, which facets to count and whether to count.
 */
public record PageRequest(EventFilter filter, boolean ascending, int limit, Cursor after, List<String> facets, boolean count) {
  public PageRequest {
    facets = List.copyOf(facets);
  }
}
