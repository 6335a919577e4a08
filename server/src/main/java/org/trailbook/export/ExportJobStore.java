package org.trailbook.export;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where export jobs' state is kept, and who runs which: {@link FileExportJobStore} (the embedded
 * default, one node) or {@code PostgresExportJobStore} (shared by several nodes, each queued job
 * claimed by exactly one). It also keeps the hourly export allowance, counted per workspace across
 * every node that shares the store.
 */
public interface ExportJobStore extends AutoCloseable {
  /**
   * Saves a job's state, replacing any earlier state of it; a queued job becomes claimable. The end
   * (done or failed) of a run whose claim another runner has taken over is not saved: that runner's stands.
   */
  void save(ExportJob job);

  /** The job with this id in {@code workspace}; empty for an unknown id or another workspace's job. */
  Optional<ExportJob> find(String workspace, String id);

  /** The workspace's jobs, newest first. */
  List<ExportJob> list(String workspace);

  /**
   * Claims the oldest queued job for this runner, marking it {@link ExportJob.Status#RUNNING} from
   * {@code now} (epoch ms), and answers it; waits up to {@code wait} for one. A job claimed by a
   * runner that is gone (the server restarted, or its node stopped renewing) is claimed again.
   */
  Optional<ExportJob> claim(long now, Duration wait) throws InterruptedException;

  /**
   * Tells the store this runner is still at {@code job} (a long job calls it as it goes); false if
   * the claim was lost (it lapsed and another runner took the job over), when the job must stop.
   * Always true where claims do not expire.
   */
  boolean renew(ExportJob job, long now);

  /** Jobs waiting for a runner. */
  int queued();

  /** Finished (done or failed) jobs that finished before {@code cutoff} (epoch ms). */
  List<ExportJob> finishedBefore(long cutoff);

  /** Deletes a job's state. */
  void delete(ExportJob job);

  /** Throws {@link TooManyExportsException} if {@code workspace} has no export left in the hour before {@code now}. */
  void checkAllowance(String workspace, long now);

  /** Checks and counts one export (a direct download or a job) of {@code workspace} begun at {@code now}. */
  void takeAllowance(String workspace, long now);

  @Override
  default void close() {}
}
