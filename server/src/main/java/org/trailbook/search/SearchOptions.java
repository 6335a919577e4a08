package org.trailbook.search;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the {@link SearchIndex} works: where it lives, how often the searcher is refreshed and the index committed, how
 * much the writer buffers, which actions count as writes, how long after the last purge its deleted documents are merged
 * away (a pass over many workspaces then rewrites each segment once). {@link #defaults(Path)} suits a server.
 */
public record SearchOptions(Path dir, Duration refreshInterval, Duration commitInterval, double ramBufferMb, EventClassifier classifier,
    Duration mergeDeletesDelay) {
  public static SearchOptions defaults(Path dir) {
    return new SearchOptions(dir, Duration.ofMillis(25), Duration.ofSeconds(30), 256, EventClassifier.defaults(), Duration.ofSeconds(30));
  }

  public SearchOptions withClassifier(EventClassifier c) {
    return new SearchOptions(dir, refreshInterval, commitInterval, ramBufferMb, c, mergeDeletesDelay);
  }

  public SearchOptions withCommitInterval(Duration d) {
    return new SearchOptions(dir, refreshInterval, d, ramBufferMb, classifier, mergeDeletesDelay);
  }

  public SearchOptions withMergeDeletesDelay(Duration d) {
    return new SearchOptions(dir, refreshInterval, commitInterval, ramBufferMb, classifier, d);
  }
}
