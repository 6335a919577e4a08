package org.trailbook.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.trailbook.Json;
import org.trailbook.export.ExportAllowance;
import org.trailbook.export.ExportJob;
import org.trailbook.export.ExportJobStore;
import org.trailbook.export.Exports;

/**
 * Export jobs in the {@code export_jobs} table, shared by every node. A worker claims the oldest
 * queued job with {@code select … for update skip locked}, so each job is run by exactly one node,
 * and holds it by a lease ({@code lease_owner}, {@code lease_until}) that the running job renews
 * every {@link Exports#RENEW_EVERY}; a job whose node died keeps its "running" row until the lease
 * lapses, and is then claimed again and run from scratch. The hourly allowance counts rows of
 * {@code export_starts} under a per-workspace advisory lock, so it holds across nodes.
 */
public final class PostgresExportJobStore implements ExportJobStore {
  /** How long a claim holds without renewal: several renewals, so one slow page does not lose it. */
  public static final Duration LEASE = Exports.RENEW_EVERY.multipliedBy(6);
  /** How often an idle worker looks for a queued job. */
  private static final Duration POLL = Duration.ofMillis(500);

  private final PostgresDatabase db;
  private final int perHour;
  private final Duration lease;
  /** This store's runner id: with a claim's start, whose lease a row holds. */
  private final String runner;

  public PostgresExportJobStore(PostgresDatabase db, int perHour) {
    this(db, perHour, LEASE);
  }

  PostgresExportJobStore(PostgresDatabase db, int perHour, Duration lease) {
    this.db = db;
    this.perHour = perHour;
    this.lease = lease;
    byte[] b = new byte[8];
    new java.security.SecureRandom().nextBytes(b);
    this.runner = "runner_" + HexFormat.of().formatHex(b);
  }

  @Override
  public void save(ExportJob job) {
    boolean running = job.status() == ExportJob.Status.RUNNING;
    Sql.run(db.dataSource(), "save an export job", c -> {
      // a running job keeps the lease its claim took; any other state has no runner. A run's end is saved only
      // while no other runner holds the job: a run that lost its claim must not overwrite the run that took over.
      try (var st = c.prepareStatement("insert into export_jobs (workspace, id, created_at, status, job) values (?, ?, ?, ?, ?::jsonb) "
          + "on conflict (workspace, id) do update set status = excluded.status, job = excluded.job"
          + (running ? "" : ", lease_owner = null, lease_until = null")
          + " where export_jobs.status <> 'running' or export_jobs.lease_owner is null or export_jobs.lease_owner = ?")) {
        st.setString(1, job.workspace());
        st.setString(2, job.id());
        st.setLong(3, job.createdAt());
        st.setString(4, job.status().wireName());
        st.setString(5, Json.MAPPER.writeValueAsString(job.toJson()));
        st.setString(6, owner(job));
        return st.executeUpdate();
      }
    });
  }

  @Override
  public Optional<ExportJob> find(String workspace, String id) {
    if (id == null) return Optional.empty();
    return Sql.run(db.dataSource(), "read an export job", c -> {
      try (var st = c.prepareStatement("select job from export_jobs where workspace = ? and id = ?")) {
        st.setString(1, workspace);
        st.setString(2, id);
        List<ExportJob> jobs = jobs(st);
        return jobs.stream().findFirst();
      }
    });
  }

  @Override
  public List<ExportJob> list(String workspace) {
    return Sql.run(db.dataSource(), "list export jobs", c -> {
      try (var st = c.prepareStatement("select job from export_jobs where workspace = ? order by created_at desc, id")) {
        st.setString(1, workspace);
        return jobs(st);
      }
    });
  }

  @Override
  public Optional<ExportJob> claim(long now, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Optional<ExportJob> job = claimOnce(now);
      if (job.isPresent()) return job;
      long left = deadline - System.nanoTime();
      if (left <= 0) return Optional.empty();
      Thread.sleep(Duration.ofNanos(Math.min(left, POLL.toNanos()))); // polling the table: no push from the database here
    }
  }

  private Optional<ExportJob> claimOnce(long now) {
    return Sql.inTransaction(db.dataSource(), "claim an export job", c -> {
      ExportJob job;
      try (var st = c.prepareStatement("select job from export_jobs where status = 'queued' or (status = 'running' and lease_until < ?) "
          + "order by created_at, id limit 1 for update skip locked")) {
        st.setLong(1, now);
        List<ExportJob> found = jobs(st);
        if (found.isEmpty()) return Optional.<ExportJob>empty();
        job = found.getFirst().running(now);
      }
      try (var st = c.prepareStatement("update export_jobs set status = 'running', lease_owner = ?, lease_until = ?, job = ?::jsonb where workspace = ? and id = ?")) {
        st.setString(1, owner(job));
        st.setLong(2, now + lease.toMillis());
        st.setString(3, Json.MAPPER.writeValueAsString(job.toJson()));
        st.setString(4, job.workspace());
        st.setString(5, job.id());
        st.executeUpdate();
      }
      return Optional.of(job);
    });
  }

  @Override
  public boolean renew(ExportJob job, long now) {
    return 1 == Sql.run(db.dataSource(), "renew the claim on an export job", c -> {
      try (var st = c.prepareStatement("update export_jobs set lease_until = ? where workspace = ? and id = ? and lease_owner = ? and status = 'running'")) {
        st.setLong(1, now + lease.toMillis());
        st.setString(2, job.workspace());
        st.setString(3, job.id());
        st.setString(4, owner(job));
        return st.executeUpdate();
      }
    });
  }

  @Override
  public int queued() {
    return Sql.run(db.dataSource(), "count queued export jobs", c -> {
      try (var st = c.prepareStatement("select count(*) from export_jobs where status = 'queued'"); ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    });
  }

  @Override
  public List<ExportJob> finishedBefore(long cutoff) {
    return Sql.run(db.dataSource(), "list expired export jobs", c -> {
      try (var st = c.prepareStatement("select job from export_jobs where status in ('done', 'failed') and (job->>'finished_at')::bigint < ?")) {
        st.setLong(1, cutoff);
        return jobs(st);
      }
    });
  }

  @Override
  public void delete(ExportJob job) {
    Sql.run(db.dataSource(), "delete an export job", c -> {
      try (var st = c.prepareStatement("delete from export_jobs where workspace = ? and id = ?")) {
        st.setString(1, job.workspace());
        st.setString(2, job.id());
        return st.executeUpdate();
      }
    });
  }

  @Override
  public void checkAllowance(String workspace, long now) {
    Sql.run(db.dataSource(), "count recent exports", c -> {
      check(c, workspace, now);
      return null;
    });
  }

  @Override
  public void takeAllowance(String workspace, long now) {
    Sql.inTransaction(db.dataSource(), "count an export", c -> {
      Sql.lockWorkspace(c, "export_starts", workspace); // check and insert as one step across nodes
      check(c, workspace, now);
      try (var st = c.prepareStatement("insert into export_starts (workspace, started_at) values (?, ?)")) {
        st.setString(1, workspace);
        st.setLong(2, now);
        st.executeUpdate();
      }
      try (var st = c.prepareStatement("delete from export_starts where workspace = ? and started_at <= ?")) {
        st.setString(1, workspace);
        st.setLong(2, now - ExportAllowance.HOUR_MILLIS);
        st.executeUpdate();
      }
      return null;
    });
  }

  private void check(Connection c, String workspace, long now) throws SQLException {
    try (var st = c.prepareStatement("select count(*), min(started_at) from export_starts where workspace = ? and started_at > ?")) {
      st.setString(1, workspace);
      st.setLong(2, now - ExportAllowance.HOUR_MILLIS);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        long started = rs.getLong(1);
        if (started >= perHour) throw ExportAllowance.refusal(started, perHour, rs.getLong(2), now);
      }
    }
  }

  /** The holder of the claim that started {@code job}: this node, and which of its claims (a job lapsed and reclaimed here is another). */
  private String owner(ExportJob job) {
    return runner + "/" + job.startedAt();
  }

  private static List<ExportJob> jobs(PreparedStatement st) throws SQLException {
    List<ExportJob> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) out.add(ExportJob.read(Json.MAPPER.readTree(rs.getString(1))));
    }
    return out;
  }
}
