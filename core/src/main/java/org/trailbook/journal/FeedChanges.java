package org.trailbook.journal;

import java.util.Map;

/**
 * An answer of {@link CommitFeed#changesSince}: the workspaces that may have grown, each with its
 * log size, and the cursor to ask from next.
 */
public record FeedChanges(long cursor, Map<String, Long> sizes) {
  /** The cursor that asks for every workspace with entries: where a new or restarting consumer starts. */
  public static final long ALL = -1;

  public FeedChanges {
    sizes = Map.copyOf(sizes);
  }
}
