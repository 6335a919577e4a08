package org.trailbook.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The purge time is split at the server's own log lines: scan and store purge, the record, the answer; rewrites are counted. */
class PurgeBreakdownTest {
  private static final String DAY = "2026-12-07T";

  @Test
  void eachPassIsSplitAtItsLogLines() {
    List<String> log = List.of(
        "14:32:35.100 INFO  o.t.j.FileJournal - something else",
        "14:32:35.500 INFO  o.t.j.JournalPurger [a] - purged 5930 entries of workspace ws-01 below seq 5932 (policy 30 days)",
        "14:32:35.800 INFO  o.t.j.JournalPurger [a] - journal: compacted segment-0000000000.wal: 10 frames dropped, 100 bytes given back",
        "14:32:36.000 INFO  o.t.j.JournalPurger [a] - journal: compacted segment-0000000001.wal: 10 frames dropped, 100 bytes given back",
        "14:32:36.100 INFO  o.t.retention.Purger [a] - purge of workspace ws-01: seqs 0..5931 (5930 entries removed, 2 kept), record seq 6579, cpu 450 ms, paused 3150 ms for clients' writes",
        "14:32:36.300 INFO  o.t.j.JournalPurger [b] - purged 10 entries of workspace ws-02 below seq 12 (policy 30 days)",
        "14:32:36.400 INFO  o.t.retention.Purger [b] - purge of workspace ws-02: seqs 0..11 (10 entries removed, 2 kept), record seq 40, cpu 30 ms",
        "14:32:37.000 INFO  o.t.j.JournalCompactor [journal-compactor] - journal: compacted segment-0000000002.wal: 3 frames dropped, 30 bytes given back, cpu 25 ms, paused 0 ms for writes");
    List<PurgeBreakdown.Pass> passes = List.of(
        new PurgeBreakdown.Pass("ws-01", Instant.parse(DAY + "14:32:35.000Z"), Instant.parse(DAY + "14:32:36.150Z")),
        new PurgeBreakdown.Pass("ws-02", Instant.parse(DAY + "14:32:36.200Z"), Instant.parse(DAY + "14:32:36.450Z")));

    PurgeBreakdown b = PurgeBreakdown.of(passes, log, 0.75);

    assertThat(b.select()).isCloseTo(0.5 + 0.1, within(1e-9));
    assertThat(b.compact()).as("the wait after the passes").isCloseTo(0.75, within(1e-9));
    assertThat(b.compactions()).as("rewrites during and after the passes").isEqualTo(3);
    assertThat(b.record()).isCloseTo(0.6 + 0.1, within(1e-9));
    assertThat(b.purgeCpu()).isCloseTo(0.48, within(1e-9));
    assertThat(b.compactCpu()).as("the lines without a cpu figure add nothing").isCloseTo(0.025, within(1e-9));
    assertThat(b.answer()).isCloseTo(0.05 + 0.05, within(1e-9));
  }

  @Test
  void aServerLogWithoutThePurgeLinesGivesNoBreakdown() {
    List<PurgeBreakdown.Pass> passes = List.of(new PurgeBreakdown.Pass("ws-01", Instant.parse(DAY + "14:32:35.000Z"), Instant.parse(DAY + "14:32:36.000Z")));

    assertThat(PurgeBreakdown.of(passes, List.of("14:32:35.100 INFO  o.t.j.FileJournal - something else"), 0)).isNull();
  }
}
