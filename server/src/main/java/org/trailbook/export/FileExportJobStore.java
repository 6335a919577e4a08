package org.trailbook.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.Json;
import org.trailbook.JsonFileFormat;
import org.trailbook.UnsupportedFormatException;

/**
 * Export jobs of the embedded server: each job's state is a small JSON file {@code DIR/exports/<id>.job.json}
 * replaced atomically (temp file, fsync, rename), and all of them are held in memory. One node runs them:
 * when the store is opened, jobs found queued or running (interrupted by a stop) are queued again, to run
 * from scratch. The hourly allowance is counted in memory ({@link ExportAllowance}), seeded from the jobs found.
 */
public final class FileExportJobStore implements ExportJobStore {
  private static final Logger log = LoggerFactory.getLogger(FileExportJobStore.class);
  static final Pattern ID = Pattern.compile("exp_[0-9a-f]{32}");
  /** A job's state file: {@code <id>.job.json}. */
  static final String STATE = ".job.json";
  /** The header of a job's state file; version 0 is the same object without it. */
  static final JsonFileFormat STATE_FORMAT = new JsonFileFormat("trailbook.export-job", 1);

  private final Path dir;
  private final Map<String, ExportJob> jobs = new ConcurrentHashMap<>();
  /** Queued jobs, oldest first (as every store claims them). */
  private final PriorityBlockingQueue<ExportJob> queue = new PriorityBlockingQueue<>(16,
      Comparator.comparingLong(ExportJob::createdAt).thenComparing(ExportJob::id));
  private final ExportAllowance allowance;

  private FileExportJobStore(Path dir, int perHour) {
    this.dir = dir;
    this.allowance = new ExportAllowance(perHour);
  }

  /** Opens the jobs in {@code dir}; queued and interrupted ones are queued again, oldest first. */
  public static FileExportJobStore open(Path dir, int perHour, long now) {
    FileExportJobStore s = new FileExportJobStore(dir, perHour);
    try {
      org.trailbook.OwnerOnly.directories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    s.recover(now);
    return s;
  }

  @Override
  public void save(ExportJob job) {
    // in memory first, so the API shows the new state even if the file cannot be written
    ExportJob before = jobs.put(job.id(), job);
    Path target = dir.resolve(job.id() + STATE);
    try {
      Path temp = org.trailbook.OwnerOnly.tempFile(dir, ".job-", ".tmp");
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(STATE_FORMAT.stamp(job.toJson()))));
        ch.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save export job state to " + target, e);
    }
    if (job.status() == ExportJob.Status.QUEUED && (before == null || before.status() != ExportJob.Status.QUEUED)) queue.add(job);
  }

  @Override
  public Optional<ExportJob> find(String workspace, String id) {
    ExportJob j = id != null && ID.matcher(id).matches() ? jobs.get(id) : null;
    return j == null || !j.workspace().equals(workspace) ? Optional.empty() : Optional.of(j);
  }

  @Override
  public List<ExportJob> list(String workspace) {
    return jobs.values().stream().filter(j -> j.workspace().equals(workspace)).sorted(Comparator.comparingLong(ExportJob::createdAt).reversed()).toList();
  }

  @Override
  public Optional<ExportJob> claim(long now, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      ExportJob next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (next == null) return Optional.empty();
      String id = next.id();
      synchronized (this) { // one worker takes a job off the queue; a job deleted or changed meanwhile is skipped
        ExportJob queued = jobs.get(id);
        if (queued != null && queued.status() == ExportJob.Status.QUEUED) {
          ExportJob running = queued.running(now);
          save(running);
          return Optional.of(running);
        }
      }
    }
  }

  @Override
  public boolean renew(ExportJob job, long now) {
    return true; // one node: a claim holds until the job ends or the server stops
  }

  @Override
  public int queued() {
    return queue.size();
  }

  @Override
  public List<ExportJob> finishedBefore(long cutoff) {
    return jobs.values().stream().filter(j -> (j.status() == ExportJob.Status.DONE || j.status() == ExportJob.Status.FAILED) && j.finishedAt() < cutoff).toList();
  }

  @Override
  public void delete(ExportJob job) {
    jobs.remove(job.id());
    try {
      Files.deleteIfExists(dir.resolve(job.id() + STATE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the state of export job " + job.id(), e);
    }
  }

  @Override
  public void checkAllowance(String workspace, long now) {
    allowance.check(workspace, now);
  }

  @Override
  public void takeAllowance(String workspace, long now) {
    allowance.take(workspace, now);
  }

  private void recover(long now) {
    List<ExportJob> again = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(".job-") && name.endsWith(".tmp")) {
          Files.deleteIfExists(p);
          continue;
        }
        if (!name.endsWith(STATE) || !ID.matcher(name.substring(0, name.length() - STATE.length())).matches()) continue;
        ExportJob j;
        JsonFileFormat.Read read;
        try {
          read = STATE_FORMAT.read(p, Files.readAllBytes(p));
          j = ExportJob.read(read.body());
        } catch (UnsupportedFormatException e) {
          throw e; // written by a newer Trailbook: refuse to start rather than drop or misread its jobs
        } catch (RuntimeException e) {
          log.warn("export job state {} is unreadable and is ignored: {}", p, e.toString());
          continue;
        }
        jobs.put(j.id(), j);
        allowance.seed(j.workspace(), j.createdAt(), now);
        if (read.version() < STATE_FORMAT.current()) save(j); // version 0 holds the same fields: the upgrade is this atomic rewrite
        if (j.status() == ExportJob.Status.QUEUED || j.status() == ExportJob.Status.RUNNING) again.add(j);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read export jobs in " + dir, e);
    }
    again.sort(Comparator.comparingLong(ExportJob::createdAt));
    for (ExportJob j : again) {
      if (j.status() == ExportJob.Status.RUNNING) save(j.with(ExportJob.Status.QUEUED, 0, 0, 0, 0, null));
      else queue.add(j);
    }
    if (!again.isEmpty()) log.info("exports: {} unfinished jobs queued again after the restart", again.size());
  }
}
