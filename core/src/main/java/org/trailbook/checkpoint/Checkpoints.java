package org.trailbook.checkpoint;

import java.util.List;
import java.util.Optional;

/**
 * Every workspace's signed checkpoints: the storage seam of checkpoints. {@link FileCheckpoints} is
 * the embedded default (one {@link CheckpointStore} file per workspace); {@code
 * org.trailbook.postgres.PostgresCheckpoints} is shared by several nodes. Both pass {@code
 * CheckpointsContract}.
 */
public interface Checkpoints extends AutoCloseable {
  /**
   * The checkpoints of {@code workspace}, opened: damage a store cannot get past (see {@link
   * CheckpointStore#open}) throws {@link CheckpointException} here, so the workspace can be refused.
   */
  CheckpointLog log(String workspace);

  /** See {@link CheckpointLog#append}. */
  default void append(String workspace, long treeSize, String signedNote) {
    log(workspace).append(treeSize, signedNote);
  }

  default Optional<String> latest(String workspace) {
    return log(workspace).latest();
  }

  default Optional<String> atSize(String workspace, long treeSize) {
    return log(workspace).atSize(treeSize);
  }

  default List<Long> sizes(String workspace) {
    return log(workspace).sizes();
  }

  /** Closes every workspace's handle; the checkpoints stay stored. */
  @Override
  void close();
}
