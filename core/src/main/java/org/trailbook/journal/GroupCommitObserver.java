package org.trailbook.journal;

/**
 * Told about every group commit of {@link FileJournal}, once the group is durable and its requests
 * are answered: how many entries it wrote, how many bytes, and how long its fsync took. Lets the
 * server feed metrics without the core depending on a metrics library.
 *
 * <p>Called on the journal's single writer thread, once per group (never per event), so it must be
 * quick and must not block: a slow observer delays the next group. An exception it throws is logged
 * and does not stop the writer.
 */
@FunctionalInterface
public interface GroupCommitObserver {
  /** Observes nothing (the default). */
  GroupCommitObserver NONE = (entries, bytes, fsyncNanos) -> {};

  /**
   * @param entries entries written in the group (at least 1; duplicates and refused requests write none)
   * @param bytes bytes written to the segment, header included
   * @param fsyncNanos how long the group's fsync ({@code FileChannel.force}) took
   */
  void committed(int entries, long bytes, long fsyncNanos);
}
