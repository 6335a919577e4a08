package org.trailbook.journal;

import java.util.List;

/**
 * Told of every group of entries right after it became durable, in log order, on the writer
 * thread: implementations must be quick (hand work off) and must not throw.
 */
@FunctionalInterface
public interface CommitListener {
  void committed(List<CommittedEntry> entries);
}
