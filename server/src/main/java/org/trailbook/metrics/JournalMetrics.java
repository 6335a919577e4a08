package org.trailbook.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.trailbook.journal.EventStore;
import org.trailbook.journal.FileJournal;
import org.trailbook.journal.GroupCommitObserver;

/**
 * The journal's group commits, observed once per group on its writer thread (after the group's requests are
 * answered, so metrics never delay an acknowledgement):
 *
 * <ul>
 *   <li>{@code trailbook_journal_group_commit_events}: entries per group commit (histogram; its {@code _count} is
 *       the number of group commits, its {@code _sum} the entries written).
 *   <li>{@code trailbook_journal_written_bytes_total}: bytes written to the journal.
 *   <li>{@code trailbook_journal_fsync_duration_seconds}: one fsync per group.
 *   <li>{@code trailbook_journal_pending_events}: events accepted and not yet written (the pending limit bounds it).
 *   <li>{@code trailbook_journal_compaction_pending_segments} (embedded store only): sealed segments waiting for the
 *       background rewrite that gives back the disk space of purged entries (0 once it is given back).
 * </ul>
 */
final class JournalMetrics implements GroupCommitObserver {
  private final DistributionSummary groupEvents;
  private final io.micrometer.core.instrument.Counter groupBytes;
  private final Timer fsync;

  private JournalMetrics(MeterRegistry registry) {
    this.groupEvents = DistributionSummary.builder("trailbook.journal.group.commit").baseUnit("events")
        .description("Entries written per journal group commit (one write and one fsync each)")
        .serviceLevelObjectives(Buckets.GROUP_EVENTS).register(registry);
    this.groupBytes = io.micrometer.core.instrument.Counter.builder("trailbook.journal.written").baseUnit("bytes")
        .description("Bytes written to the journal by group commits").register(registry);
    this.fsync = Timer.builder("trailbook.journal.fsync.duration").description("Duration of the one fsync of each journal group commit")
        .serviceLevelObjectives(Buckets.FSYNC).register(registry);
  }

  static void bind(MeterRegistry registry, EventStore journal) {
    journal.observe(new JournalMetrics(registry));
    Gauge.builder("trailbook.journal.pending.events", journal, EventStore::pendingEvents).strongReference(true)
        .description("Events accepted by the journal and not yet written and acknowledged").register(registry);
    if (journal instanceof FileJournal files) {
      Gauge.builder("trailbook.journal.compaction.pending", files, FileJournal::compactionPending).strongReference(true).baseUnit("segments")
          .description("Sealed journal segments waiting for the rewrite that gives back the space of purged entries").register(registry);
    }
  }

  @Override
  public void committed(int entries, long bytes, long fsyncNanos) {
    groupEvents.record(entries);
    groupBytes.increment(bytes);
    fsync.record(fsyncNanos, TimeUnit.NANOSECONDS);
  }
}
