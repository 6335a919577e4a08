package org.trailbook.journal;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The storage seam: an append-only log of canonical entries per workspace. The embedded journal
 * and the PostgreSQL backend implement it and pass the same contract tests.
 *
 * <p>Contract: {@link #append} completes only once every new entry is durable; within a
 * workspace, {@code seq} runs 0, 1, 2, … without gaps or reuse, and each entry's {@code
 * prev_hash} is the leaf hash of the entry before it; an id already in the workspace (or earlier
 * in the same batch) with the same content (see {@code EntryContent}) stores nothing and answers
 * with the original's seq, while an id reused with different content fails that batch alone with
 * {@link IdConflictException}, storing nothing of it. Nothing ever changes or removes an
 * acknowledged entry. Reads see only durable entries.
 */
public interface EventStore extends CommitFeed, AutoCloseable {

  /**
   * Appends a batch (all entries for {@code workspace}) and completes, in request order, once
   * it is durable. Throws {@link org.trailbook.OverloadedException} at once when the store is
   * too far behind to take it.
   */
  CompletableFuture<List<AppendResult>> append(String workspace, List<PendingEntry> entries);

  Optional<Entry> findById(String workspace, String id);

  /**
   * The entries at the given seqs, in the order asked (a page of search hits), leaving out seqs the log does
   * not hold. A backend where each read is a round trip answers them together.
   */
  default List<Entry> readSeqs(String workspace, long[] seqs) {
    List<Entry> out = new java.util.ArrayList<>(seqs.length);
    for (long seq : seqs) out.addAll(read(workspace, seq, seq + 1));
    return out;
  }

  /** Every workspace that has at least one entry. */
  Set<String> workspaces();

  /** The health of the store's writer (what {@code /healthz} and {@code /readyz} report for it). */
  org.trailbook.health.PartHealth health();

  /** Events accepted by {@link #append} and not yet answered: what the store's pending limit bounds. */
  int pendingEvents();

  /** Sets the one observer told about every group commit (metrics), after its requests are answered. */
  void observe(GroupCommitObserver observer);

  @Override
  void close();
}
