package org.trailbook.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.InvalidInputException;
import org.trailbook.Json;
import org.trailbook.NotFoundException;
import org.trailbook.OverloadedException;
import org.trailbook.Problem;
import org.trailbook.access.Credential;
import org.trailbook.health.PartHealth;
import org.trailbook.health.Supervisor;
import org.trailbook.ingest.IngestService;
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.journal.EventStore;
import org.trailbook.search.EventFilter;
import org.trailbook.search.EventSearch;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Exports: direct downloads streamed to the response, and background jobs written to {@code DIR/exports/}.
 *
 * <p>Every export covers the log as it was when it began (entries below the log's size then) in log order, streams
 * page by page ({@link ExportScan}), and is itself recorded in the workspace log as a {@code security} event {@code
 * audit_log.exported} (who, filters, format, count). A job's state is kept by an {@link ExportJobStore} and its output
 * by {@link ExportFiles} (files in {@code DIR/exports/} for the embedded server, the database for several nodes); a
 * job is offered only once its output is complete and the job is saved done. A queued job is claimed by one worker of
 * one node; an interrupted one is run again from scratch. Finished jobs and their outputs are deleted after
 * {@link ExportConfig#retention()}.
 *
 * <p>The workers and the cleaner run under {@link Supervisor}s ({@link #runnerHealth()}, {@link #cleanerHealth()}). A
 * job that fails is marked failed and counted; a fault that is the runner's rather than the job's (an Error, a state
 * file that cannot be written) is also reported to the runner's part, which backs off and keeps running.
 */
public final class Exports implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Exports.class);
  private static final Duration DOWNLOAD_INDEX_WAIT = Duration.ofSeconds(5);
  private static final Duration JOB_INDEX_WAIT = Duration.ofMinutes(10);
  /** How often a running job renews its claim; a store whose claims expire gives them several times this. */
  public static final Duration RENEW_EVERY = Duration.ofSeconds(10);
  private static final Duration CLAIM_WAIT = Duration.ofSeconds(1);
  private static final int MAX_QUEUED = 1000;

  private final ExportJobStore jobStore;
  private final ExportFiles files;
  private final EventStore store;
  private final EventSearch search;
  private final LogIntegrity integrity;
  private final IngestService ingest;
  private final ExportConfig config;
  private final Clock clock;
  private final Map<String, AtomicLong> progress = new ConcurrentHashMap<>();
  private final List<Supervisor> workers = new ArrayList<>();
  private final Supervisor cleaner;
  private final PartHealth runnerHealth = new PartHealth("export_runner", "the export job runner",
      "export jobs may fail or wait until it recovers", false);
  private final PartHealth cleanerHealth = new PartHealth("export_cleaner", "the export cleaner",
      "expired exports are not deleted until its next run succeeds", false);
  /** A fault to inject at the start of each job (tests only; null in service). */
  volatile Supervisor.Step jobFault;
  private final AtomicLong downloads = new AtomicLong();
  private final AtomicLong jobsDone = new AtomicLong();
  private final AtomicLong jobsFailed = new AtomicLong();
  private final AtomicLong peakHeld = new AtomicLong();
  private volatile boolean closed;

  /**
   * Thrown inside a running job when the server stops (the job stays "running" and runs again at the next start, or on
   * another node once its claim lapses), or when another node took the job over.
   */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super("the server is stopping", null, false, false);
    }
  }

  /** Exports of the embedded server: job state and outputs in {@code dir}. */
  public Exports(Path dir, EventStore store, EventSearch search, LogIntegrity integrity, IngestService ingest, ExportConfig config, Clock clock) {
    this(FileExportJobStore.open(dir, config.jobsPerHour(), clock.millis()), fileOutputs(dir), store, search, integrity, ingest, config, clock);
  }

  /** Exports keeping job state in {@code jobStore} and outputs in {@code files} (which this closes with itself). */
  public Exports(ExportJobStore jobStore, ExportFiles files, EventStore store, EventSearch search, LogIntegrity integrity, IngestService ingest,
      ExportConfig config, Clock clock) {
    this.jobStore = jobStore;
    this.files = files;
    this.store = store;
    this.search = search;
    this.integrity = integrity;
    this.ingest = ingest;
    this.config = config;
    this.clock = clock;
    for (int i = 0; i < config.workers(); i++) {
      workers.add(Supervisor.start(Thread.ofVirtual().name("export-worker-" + i), runnerHealth, Duration.ZERO, Duration.ZERO,
          Supervisor.Backoff.DEFAULT, this::work));
    }
    // retried at its next run: deleting expired files is not urgent
    this.cleaner = Supervisor.start(Thread.ofPlatform().name("export-cleaner").daemon(true), cleanerHealth, Duration.ZERO,
        Duration.ofMinutes(10), Supervisor.Backoff.DEFAULT, this::expire);
  }

  public ExportConfig config() {
    return config;
  }

  // ------------------------------------------------------------------ direct downloads

  /** A direct download, counted, limit-checked and recorded, ready to be streamed by {@link #write}. */
  public record Download(ExportRequest request, String workspace, long end, long count, String fileName) {}

  /**
   * Checks a direct download before anything is sent: the hourly allowance it shares with jobs (429), the filters
   * (400), the index catching up (503), the limit (400); then counts it and records it in the workspace log.
   */
  public Download prepareDownload(Credential who, ExportRequest request) {
    long now = clock.millis();
    jobStore.checkAllowance(who.workspace(), now); // before the scan: a caller over its allowance costs no work
    EventFilter filter = request.filter(who.workspace(), now);
    long end = store.size(who.workspace());
    if (!search.index().awaitVisible(who.workspace(), end, DOWNLOAD_INDEX_WAIT)) {
      throw new OverloadedException("the search index is catching up with the log; retry shortly", 5);
    }
    ExportScan scan = scan(filter, end);
    long count = scan.count(config.maxEntries() + 1);
    checkLimit(count);
    jobStore.takeAllowance(who.workspace(), now);
    record(who, request, count, "download", null);
    downloads.incrementAndGet();
    String name = "trailbook-" + who.workspace() + "-" + now + "." + request.format().wireName();
    return new Download(request, who.workspace(), end, count, name);
  }

  /** Streams a prepared download to {@code out} in constant memory. */
  public void write(Download d, OutputStream out) throws IOException {
    ExportScan scan = scan(d.request().filter(d.workspace(), clock.millis()), d.end());
    ExportWriting.plain(d.request(), scan, out, new AtomicLong(), () -> {});
    peakHeld.accumulateAndGet(scan.peakHeld(), Math::max);
  }

  // ------------------------------------------------------------------ jobs

  /** Starts a background job: 429 beyond the hourly allowance (shared with downloads), 400 for bad filters or too many entries. */
  public synchronized ExportJob create(Credential who, ExportRequest request) {
    long now = clock.millis();
    EventFilter filter = request.filter(who.workspace(), now);
    jobStore.checkAllowance(who.workspace(), now);
    if (jobStore.queued() >= MAX_QUEUED) throw new OverloadedException("too many export jobs are queued; retry later", 60);
    long end = store.size(who.workspace());
    if (search.index().awaitVisible(who.workspace(), end, DOWNLOAD_INDEX_WAIT)) {
      long count = scan(filter, end).count(config.maxEntries() + 1);
      checkLimit(count);
      if (count == 0 && request.includeProof()) {
        throw new InvalidInputException("empty_export", "no entries match the filters, and a verification bundle needs at least one",
            List.of(Problem.of("filters", "match no entries")));
      }
    } // else the index is rebuilding: the job checks when it runs
    // a job re-run after a restart resolves presets such as range=24h against its creation time, so it exports the same
    ExportJob job = new ExportJob("exp_" + HexFormat.of().formatHex(randomBytes()), who.workspace(), who.keyId(), request, end, now,
        ExportJob.Status.QUEUED, 0, 0, 0, 0, null);
    jobStore.takeAllowance(who.workspace(), now);
    jobStore.save(job); // queued: a worker of this node or another claims it
    return job;
  }

  /** A job of {@code workspace}; 404 for an unknown id or another workspace's job. */
  public ExportJob job(String workspace, String id) {
    return jobStore.find(workspace, id).orElseThrow(() -> new NotFoundException("no export job '" + id + "' in this workspace (finished jobs are kept "
        + config.retention().toHours() + " hours)"));
  }

  /** The workspace's jobs, newest first. */
  public List<ExportJob> jobs(String workspace) {
    return jobStore.list(workspace);
  }

  /** The finished output of a done job, to be closed by the caller; 409 while it is not done, 404 once it expired. */
  public ExportFiles.Output file(ExportJob job) throws IOException {
    if (job.status() != ExportJob.Status.DONE) {
      throw new org.trailbook.ConflictException("export job '" + job.id() + "' is " + job.status().wireName() + "; its file exists once it is done");
    }
    return files.open(job).orElseThrow(() -> new NotFoundException("the file of export job '" + job.id() + "' has expired"));
  }

  /** The job as the API shows it: status, progress while running, and the download link once done. */
  public ObjectNode status(ExportJob j) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", j.id()).put("status", j.status().wireName()).put("format", j.request().format().wireName());
    o.put("created_at", org.trailbook.Times.format(j.createdAt()));
    if (j.startedAt() > 0) o.put("started_at", org.trailbook.Times.format(j.startedAt()));
    if (j.finishedAt() > 0) {
      o.put("finished_at", org.trailbook.Times.format(j.finishedAt()));
      o.put("expires_at", org.trailbook.Times.format(j.finishedAt() + config.retention().toMillis()));
    }
    if (j.status() == ExportJob.Status.RUNNING) {
      AtomicLong p = progress.get(j.id());
      o.putObject("progress").put("entries", p == null ? 0 : p.get());
    }
    if (j.status() == ExportJob.Status.DONE) {
      o.put("count", j.count()).put("bytes", j.bytes());
      o.put("download_url", "/v1/exports/" + j.id() + "/file");
      o.put("file_name", "trailbook-" + j.workspace() + "-" + j.fileName());
    }
    if (j.status() == ExportJob.Status.FAILED) o.put("error", j.error());
    o.put("log_size", j.end());
    o.set("request", j.request().toJson());
    return o;
  }

  public ObjectNode list(String workspace) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    ArrayNode a = o.putArray("exports");
    for (ExportJob j : jobs(workspace)) a.add(status(j));
    return o;
  }

  /** Counters: downloads, jobs done and failed, and the most entries any export held at once. */
  public long downloadsTotal() {
    return downloads.get();
  }

  public long jobsDoneTotal() {
    return jobsDone.get();
  }

  public long jobsFailedTotal() {
    return jobsFailed.get();
  }

  /** Jobs running now (each has a progress counter while it runs). */
  public int runningJobs() {
    return progress.size();
  }

  /** Jobs waiting for a worker. */
  public int queuedJobs() {
    return jobStore.queued();
  }

  /** The most entries (or seqs) any finished export held in memory at once: at most one page, whatever its size. */
  public long peakEntriesHeld() {
    return peakHeld.get();
  }

  /** One turn of a worker: the next queued job, if one comes within a second. Runner faults go to its supervisor. */
  private void work() throws Exception {
    if (closed) return;
    Optional<ExportJob> job = jobStore.claim(clock.millis(), CLAIM_WAIT);
    if (job.isPresent()) run(job.get());
  }

  /** The runner's health (every worker reports to it): readiness only. */
  public PartHealth runnerHealth() {
    return runnerHealth;
  }

  /** The retention cleaner's health: readiness only. */
  public PartHealth cleanerHealth() {
    return cleanerHealth;
  }

  /**
   * Runs a job to its end: done, or failed (state saved, counted). Rethrows what is the runner's fault rather than the
   * job's (an Error, or a failed state that cannot be saved), after marking the job failed.
   */
  private void run(ExportJob claimed) throws IOException {
    ExportJob job = claimed;
    String id = job.id();
    AtomicLong done = new AtomicLong();
    progress.put(id, done);
    long[] renewed = {clock.millis()};
    Runnable stop = () -> {
      if (closed) throw new Stopped();
      runnerHealth.progressed(); // called per page: a long job is not a stall
      long now = clock.millis();
      if (now - renewed[0] >= RENEW_EVERY.toMillis()) { // keeps this node's claim on the job
        if (!jobStore.renew(claimed, now)) throw new Stopped(); // another node took it over: its run stands
        renewed[0] = now;
      }
    };
    try {
      Supervisor.Step f = jobFault;
      if (f != null) f.run();
      EventFilter filter = job.request().filter(job.workspace(), job.createdAt());
      long deadline = System.nanoTime() + JOB_INDEX_WAIT.toNanos();
      while (!search.index().awaitVisible(job.workspace(), job.end(), Duration.ofSeconds(1))) {
        stop.run();
        if (System.nanoTime() > deadline) throw new IllegalStateException("the search index did not catch up with the log within " + JOB_INDEX_WAIT.toMinutes() + " minutes");
      }
      ExportScan scan = scan(filter, job.end());
      long count = scan.count(config.maxEntries() + 1);
      checkLimit(count);
      ExportJob running = job;
      // complete and durable once write returns, but offered only once the job is saved done, after it is recorded
      long bytes = files.write(job, out -> {
        if (running.request().includeProof()) ExportWriting.bundle(integrity, running, scan, count, out, done, stop);
        else ExportWriting.plain(running.request(), scan, out, done, stop);
      });
      peakHeld.accumulateAndGet(scan.peakHeld(), Math::max);
      // recorded before it is offered: an export nobody can see in the log is never delivered
      record(new Credential(job.keyId(), job.workspace(), java.util.Set.of(), false), job.request(), count, "job", job.id());
      job = job.with(ExportJob.Status.DONE, job.startedAt(), clock.millis(), count, bytes, null);
      jobStore.save(job);
      jobsDone.incrementAndGet();
    } catch (Stopped e) {
      // left "running": run again from scratch at the next start, or by another node once this node's claim lapses
    } catch (Throwable e) {
      String reason = e instanceof InvalidInputException ii && !ii.problems().isEmpty()
          ? ii.getMessage() + ": " + ii.problems().getFirst().problem() : String.valueOf(e.getMessage());
      if (e instanceof Error) {
        log.warn("export job {} of workspace {} failed: {}", id, job.workspace(), e.toString()); // the runner's ERROR line follows
      } else if (!(e instanceof InvalidInputException)) {
        log.error("export job {} of workspace {} failed", id, job.workspace(), e);
      }
      jobsFailed.incrementAndGet();
      // the file store marks it failed in memory first, so the API says "failed" even if the file cannot be written
      jobStore.save(job.with(ExportJob.Status.FAILED, job.startedAt(), clock.millis(), 0, 0, reason));
      if (e instanceof Error err) throw err; // the job is failed; the runner itself goes on after a back-off
    } finally {
      progress.remove(id);
    }
  }

  // ------------------------------------------------------------------ writing

  private ExportScan scan(EventFilter filter, long end) {
    return new ExportScan(store, search, filter, end, ExportScan.PAGE);
  }

  private void checkLimit(long count) {
    if (count > config.maxEntries()) {
      throw new InvalidInputException("export_too_large", "the export matches more than " + config.maxEntries()
          + " entries, the limit per export; narrow the filters (for example the time range) and export in parts",
          List.of(Problem.of("filters", "match more than " + config.maxEntries() + " entries")));
    }
  }



  private void record(Credential who, ExportRequest r, long count, String delivery, String jobId) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("type", "security").put("action", "audit_log.exported").put("category", "audit_log");
    e.putObject("actor").put("type", "api_key").put("id", who.keyId());
    ObjectNode res = e.putObject("resource").put("type", "export");
    if (jobId != null) res.put("id", jobId);
    e.put("summary", "API key " + who.keyId() + " exported " + count + (count == 1 ? " event" : " events") + " as " + r.format().wireName().toUpperCase(java.util.Locale.ROOT)
        + (r.redaction() == Redaction.NONE ? "" : " (redaction: " + r.redaction().wireName() + ")"));
    ObjectNode m = r.toJson();
    m.put("count", count).put("delivery", delivery);
    if (r.format() != ExportFormat.CSV) m.remove("columns");
    e.set("metadata", m);
    ingest.record(who.workspace(), List.of(e));
  }

  // ------------------------------------------------------------------ retention

  /** Deletes finished jobs (output, then state) older than the retention. */
  private void expire() throws IOException {
    long cutoff = clock.millis() - config.retention().toMillis();
    for (ExportJob j : jobStore.finishedBefore(cutoff)) {
      files.delete(j);
      jobStore.delete(j);
    }
  }

  private static ExportFiles fileOutputs(Path dir) {
    try {
      return FileExportFiles.open(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the export directory " + dir, e);
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[16];
    new java.security.SecureRandom().nextBytes(b);
    return b;
  }

  /** Stops the workers: a running job is left "running" on disk and runs again at the next start. */
  @Override
  public void close() {
    closed = true;
    cleaner.close();
    // tell every worker first, then wait: an idle worker left running while another is awaited would spin
    // (its step returns at once once closed) and, on a virtual thread, could keep the busy one from finishing
    for (Supervisor w : workers) w.close(Duration.ZERO);
    for (Supervisor w : workers) w.close(Duration.ofSeconds(30)); // a running job stops at its next page
    jobStore.close();
  }
}
