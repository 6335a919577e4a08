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
 * {@link IdConflictException}, storing nothing of it. Nothing ever changes an acknowledged entry,
 * and only {@link #purge} removes one. Reads see only durable entries.
 *
 * <p>Purge (retention, docs/adr/0004): a purge removes a workspace's entries below a new horizon
 * except the ones it is told to keep, atomically with its {@link Purge} record and the leaf hashes of
 * every seq below the horizon, which the store keeps so the trees and every checkpoint stay provable.
 * The log's size, seqs and chain never change: reads ({@link #read}, {@link #readSeqs}, {@link
 * #findById}) simply no longer hold the removed entries, and an id that was purged may be stored again.
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

  /**
   * Removes every entry of {@code workspace} with {@code seq < toSeq} except those whose seqs are in
   * {@code keep} (sorted, each below {@code toSeq} and still stored), and records the {@link Purge}
   * and the leaf hashes of seqs {@code [purgedBefore, toSeq)}, all or nothing: a crash at any moment
   * leaves the log as before or as after (the disk space may be given back later, by work that resumes
   * at the next open). Entries below the old horizon that are not in {@code keep} are removed too.
   * Returns the purge recorded, or null when {@code toSeq <= purgedBefore(workspace)} and {@code keep}
   * holds every entry still stored below it (nothing to do).
   *
   * @throws IllegalArgumentException if {@code toSeq} is beyond the log's size or {@code keep} names a
   *     seq not below {@code toSeq}
   */
  Purge purge(String workspace, long toSeq, long[] keep, String reason);

  /** The purge horizon: entries below it are purged unless they were kept; 0 when never purged. */
  long purgedBefore(String workspace);

  /** The leaf hashes of seqs {@code [from, to)}, {@code to <= purgedBefore(workspace)}: 32 bytes each, in seq order. */
  byte[] purgedLeaves(String workspace, long from, long to);

  /** Every purge of the workspace, oldest first. */
  List<Purge> purges(String workspace);

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
