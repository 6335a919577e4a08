package org.trailbook.journal;

import org.trailbook.merkle.Hash;

/**
 * One workspace's log as {@link FileJournal} sees it: where each seq's frame lies ({@code segment <<
 * 32 | offset}), its ids, its cached tail, its size and its purge state. {@code nextSeq} and {@code
 * lastLeaf} are the writer's; {@code positions} of existing seqs change only under {@link
 * SegmentFiles}'s exclusive lock (compaction), as does {@code purged}.
 */
final class WorkspaceLog {
  final String workspace;
  final LongColumn positions = new LongColumn();
  final TailCache.Window tail = new TailCache.Window();
  final IdIndex ids = new IdIndex();
  volatile long size;
  volatile PurgeHorizon purged = PurgeHorizon.NONE;
  long nextSeq;
  Hash lastLeaf = Hash.ZERO;

  WorkspaceLog(String workspace) {
    this.workspace = workspace;
  }
}
