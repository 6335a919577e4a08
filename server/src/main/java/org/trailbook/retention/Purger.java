package org.trailbook.retention;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.Json;
import org.trailbook.Times;
import org.trailbook.health.BackgroundPace;
import org.trailbook.ingest.IngestService;
import org.trailbook.journal.AppendResult;
import org.trailbook.journal.EventStore;
import org.trailbook.journal.Purge;
import tools.jackson.databind.node.ObjectNode;

/**
 * One purge pass over one workspace: applies its retention at the clock's now (see {@link PurgeSelection} for what is
 * removed), has the store purge it ({@link EventStore#purge}, all or nothing), then appends the purge's record to the
 * log itself: an {@code audit_log.purged} event (category {@code audit_log}) through the normal write path, so it gets
 * a seq, is hashed and signed like every entry, and every node's consumers (the search index) learn of the purge from
 * the commit feed.
 *
 * <p>The record's id is derived from the workspace and the new horizon and its content from the store's {@link Purge}
 * alone, so a purger that died between the store's commit and the record appends it at its next pass, and appending it
 * twice stores it once (idempotency). Each pass first does that repair. Passes of one purger are serialised; on several
 * nodes one node purges at a time ({@link PurgeSchedule}).
 */
public final class Purger {
  private static final Logger log = LoggerFactory.getLogger(Purger.class);
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  public static final String ACTION = "audit_log.purged";

  /**
   * What applies to a workspace at a moment (the retention policy service's answer).
   *
   * @param days null: entries are kept forever
   * @param auditLogDays how long the access trail stays once archived
   */
  public record Rules(Integer days, boolean archive, int auditLogDays, boolean held) {}

  /** The rules the retention service gives a workspace at a moment. */
  public static BiFunction<String, Instant, Rules> rulesOf(Retention retention) {
    return (ws, now) -> {
      EffectiveRetention e = retention.effective(ws, now);
      return new Rules(e.days(), e.archive(), e.auditLogDays(), e.held());
    };
  }

  /** What a pass purged: seqs {@code [fromSeq, toSeq)} less {@code kept}; the record's seq in the log. */
  public record Purged(long fromSeq, long toSeq, long removed, long kept, long recordSeq) {}

  /** The outcome of a pass: what was purged, or null and why nothing. */
  public record Outcome(String workspace, Purged purged, String reason) {}

  /**
   * The archive step ({@link org.trailbook.archive.Archiver}, see {@link #archiveStep}): archives entries {@code
   * [fromSeq, toSeq)} of the workspace before they are purged and says where (location and SHA-256), or null when
   * nothing is archived (no archive target); then the access trail (category {@code audit_log}) is kept whole, since it
   * is never just dropped. A failure throws, and nothing is purged.
   */
  @FunctionalInterface
  public interface ArchiveStep {
    ArchiveStep NONE = (ws, from, to) -> null;

    String archive(String workspace, long fromSeq, long toSeq);
  }

  /** The archive step of an {@link org.trailbook.archive.Archiver}: written, verified and put on the target first. */
  public static ArchiveStep archiveStep(org.trailbook.archive.Archiver archiver) {
    return (ws, from, to) -> {
      org.trailbook.archive.ArchiveRef ref = archiver.archive(ws, from, to);
      log.info("archived seqs {}..{} of workspace {} to {} (sha256 {})", from, to - 1, ws, ref.location(), ref.sha256());
      return ref.location() + " sha256 " + ref.sha256();
    };
  }

  private final EventStore store;
  private final IngestService ingest;
  private final BiFunction<String, Instant, Rules> rules;
  private final ToLongFunction<String> checkpointSize;
  private final ArchiveStep archive;
  private final Clock clock;
  /** Paces the passes while clients write (one pass at a time: {@link #run} is synchronized). */
  private final BackgroundPace pace;
  private final AtomicLong purgedEntries = new AtomicLong();
  private final AtomicLong purges = new AtomicLong();
  private volatile Instant lastPurge;

  /**
   * @param store the log (purged directly: the purge is no append)
   * @param ingest the write path the records go through
   * @param rules the retention of a workspace at a moment
   * @param checkpointSize the treeSize of a workspace's latest signed checkpoint (0 if none)
   */
  public Purger(EventStore store, IngestService ingest, BiFunction<String, Instant, Rules> rules, ToLongFunction<String> checkpointSize,
      ArchiveStep archive, Clock clock) {
    this.store = store;
    this.ingest = ingest;
    this.rules = rules;
    this.checkpointSize = checkpointSize;
    this.archive = archive;
    this.clock = clock;
    this.pace = new BackgroundPace(ingest.activity()::busy);
  }

  /** The id of the record of the purge of {@code workspace} up to {@code toSeq}: the same on every node and every try. */
  public static String recordId(String workspace, int ordinal, long toSeq) {
    return org.trailbook.verify.PurgedPrefix.recordId(workspace, ordinal, toSeq);
  }

  /** Runs one pass over {@code workspace} now. */
  public synchronized Outcome run(String workspace) {
    long cpu = CPU.getCurrentThreadCpuTime(); // logged: what a purge costs, whatever else the machine does
    long paused = pace.pausedNanos();
    pace.begin();
    repairRecord(workspace);
    Instant now = clock.instant();
    Rules r = rules.apply(workspace, now);
    if (r.held()) return new Outcome(workspace, null, "held: a legal hold suspends purging of this workspace");
    if (r.days() == null) return new Outcome(workspace, null, "unlimited: the policy keeps entries forever");
    if (r.archive() && archive == ArchiveStep.NONE) {
      // the policy was set while a target existed: never purge what was to be archived first
      return new Outcome(workspace, null,
          "no archive target: the policy archives before purging, and this server has none (TRAILBOOK_ARCHIVE_TARGET)");
    }
    String cutoff = Times.format(now.minus(Duration.ofDays(r.days())));
    long cap = checkpointSize.applyAsLong(workspace);
    // the access trail goes only once archived: first find the range as if it stayed, archive it, then decide
    PurgeSelection s = PurgeSelection.find(store, workspace, cap, cutoff, null, 0, pace::step);
    String auditCutoff = null;
    boolean newRange = s.toSeq() > s.fromSeq();
    String archived = r.archive() && newRange ? archive.archive(workspace, s.fromSeq(), s.toSeq()) : null;
    // with no new range, trail entries kept below the horizon may still age out (they lie in earlier archives)
    if (archived != null || (r.archive() && !newRange)) {
      auditCutoff = Times.format(now.minus(Duration.ofDays(r.auditLogDays())));
      // below the old horizon the trail may age out only if every earlier purge archived its range too (a purge
      // that moved no horizon had no range to archive)
      boolean allArchived = store.purges(workspace).stream().allMatch(p -> {
        PurgeReason earlier = PurgeReason.parse(p.reason());
        return p.fromSeq() == p.toSeq() || (earlier != null && earlier.archive() != null);
      });
      s = PurgeSelection.find(store, workspace, s.toSeq(), cutoff, auditCutoff, allArchived ? 0 : s.fromSeq(), pace::step);
    }
    PurgeReason reason = new PurgeReason(r.days(), cutoff, r.auditLogDays(), auditCutoff, archived);
    Purge p = store.purge(workspace, s.toSeq(), s.keep(), reason.text());
    if (p == null) {
      return new Outcome(workspace, null, s.capped()
          ? "not covered by a checkpoint yet: entries past the window are newer than the latest signed checkpoint"
          : "nothing old enough: no entry past the window of " + r.days() + " days");
    }
    purgedEntries.addAndGet(p.removed());
    purges.incrementAndGet();
    lastPurge = p.purgedAt();
    long recordSeq = appendRecord(p, ordinalOf(store.purges(workspace), p), s.keep().length);
    log.info("purge of workspace {}: seqs {}..{} ({} entries removed, {} kept), record seq {}, cpu {} ms, paused {} ms for clients' writes",
        workspace, p.fromSeq(), p.toSeq() - 1, p.removed(), s.keep().length, recordSeq, (CPU.getCurrentThreadCpuTime() - cpu) / 1_000_000,
        (pace.pausedNanos() - paused) / 1_000_000);
    return new Outcome(workspace, new Purged(p.fromSeq(), p.toSeq(), p.removed(), s.keep().length, recordSeq), null);
  }

  /** Entries this purger removed since it was made (metrics). */
  public long purgedEntries() {
    return purgedEntries.get();
  }

  /** Passes of this purger that removed something (metrics). */
  public long purges() {
    return purges.get();
  }

  /** When this purger's last purge committed, or null before the first (metrics). */
  public Instant lastPurge() {
    return lastPurge;
  }

  /** How many entries the log still holds below {@code horizon} (the kept ones). */
  private long keptBelow(String workspace, long horizon) {
    long n = 0;
    for (long at = 0; at < horizon; at += PurgeSelection.PURGED_PAGE) n += store.read(workspace, at, Math.min(horizon, at + PurgeSelection.PURGED_PAGE)).size();
    return n;
  }

  /**
   * Appends the record of the workspace's latest purge if the log lacks it (the purger died between the two). Only the
   * latest can lack it: every pass repairs first, and a purge never removes its own record (which lies past its horizon).
   */
  private void repairRecord(String workspace) {
    List<Purge> purges = store.purges(workspace);
    if (purges.isEmpty()) return;
    Purge last = purges.getLast();
    int ordinal = purges.size() - 1;
    if (store.findById(workspace, recordId(workspace, ordinal, last.toSeq())).isPresent()) return;
    log.warn("purge of workspace {} up to seq {} has no record in the log (interrupted): appending it now", workspace, last.toSeq());
    appendRecord(last, ordinal, keptBelow(workspace, last.toSeq()));
  }

  /** Where {@code p} is in the workspace's purges (searched from the newest: it was just committed). */
  static int ordinalOf(List<Purge> purges, Purge p) {
    for (int i = purges.size() - 1; i >= 0; i--) {
      Purge q = purges.get(i);
      if (q.fromSeq() == p.fromSeq() && q.toSeq() == p.toSeq() && q.removed() == p.removed() && q.lastLeaf().equals(p.lastLeaf())) return i;
    }
    throw new IllegalStateException("the purge of workspace " + p.workspace() + " up to seq " + p.toSeq() + " is not in the store's purges");
  }

  private long appendRecord(Purge p, int ordinal, long kept) {
    List<AppendResult> r = ingest.record(p.workspace(), List.of(recordEvent(p, ordinal, kept)));
    return r.getFirst().seq();
  }

  /** The record: a function of the purge alone (no time of its own: {@code time} defaults to the receive time). */
  public static ObjectNode recordEvent(Purge p, int ordinal, long kept) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("id", recordId(p.workspace(), ordinal, p.toSeq()));
    e.put("type", "security");
    e.put("action", ACTION);
    e.put("category", PurgeSelection.AUDIT_LOG);
    e.put("layer", "platform");
    e.putObject("actor").put("type", "system").put("id", "retention").put("name", "Retention");
    e.putObject("resource").put("type", "workspace").put("id", p.workspace());
    e.put("summary", "Retention purged " + p.removed() + " entries below seq " + p.toSeq() + " (" + p.reason() + ")");
    ObjectNode m = e.putObject("metadata");
    m.put("purge", ordinal + 1).put("from_seq", p.fromSeq()).put("to_seq", p.toSeq()).put("removed", p.removed()).put("kept", kept);
    m.put("last_purged_hash", p.lastLeaf().hex()).put("purged_at", Times.format(p.purgedAt())).put("reason", p.reason());
    PurgeReason reason = PurgeReason.parse(p.reason());
    if (reason != null) {
      m.put("policy_days", reason.days()).put("cutoff", reason.cutoff()).put("audit_log_days", reason.auditLogDays());
      if (reason.auditCutoff() != null) m.put("audit_cutoff", reason.auditCutoff());
      if (reason.archive() != null) m.put("archive", reason.archive());
    }
    return e;
  }
}
