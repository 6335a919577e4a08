package org.trailbook.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.event.EventBatchParser;
import org.trailbook.event.EventNormalizer;
import org.trailbook.ingest.IngestService;
import org.trailbook.integrity.IntegrityConfig;
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.journal.AppendResult;
import org.trailbook.journal.Entry;
import org.trailbook.journal.FileJournal;
import org.trailbook.journal.Purge;
import org.trailbook.server.ServerConfig;
import tools.jackson.databind.node.ObjectNode;

/**
 * The purger over a real embedded journal, real trees and checkpoints, and a clock the test moves: months of entries
 * are written "in the past" (their {@code received_at} is the server clock's) and purged in a moment.
 */
class PurgerTest {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final String WS = "acme";

  @TempDir Path dir;
  SettableClock clock = new SettableClock(START);
  FileJournal journal;
  LogIntegrity integrity;
  IngestService ingest;
  AtomicReference<Purger.Rules> rules = new AtomicReference<>(new Purger.Rules(30, false, 365, false));

  @BeforeEach
  void open() {
    journal = FileJournal.open(dir.resolve("journal"));
    integrity = LogIntegrity.open(dir, ServerConfig.fromEnvironment(Map.of()).serverName(), journal, IntegrityConfig.DEFAULTS);
    ingest = new IngestService(integrity.guard(journal), new EventBatchParser(), new EventNormalizer(), clock);
  }

  @AfterEach
  void close() {
    integrity.close();
    journal.close();
  }

  Purger purger(Purger.ArchiveStep archive) {
    return new Purger(journal, ingest, (ws, now) -> rules.get(), integrity::latestCheckpointSize, archive, clock);
  }

  /** {@code perDay} entries a day for {@code days} days from the clock's now; the clock ends {@code days} later. */
  void days(int days, int perDay, String category) {
    for (int d = 0; d < days; d++) {
      List<ObjectNode> batch = new ArrayList<>();
      for (int i = 0; i < perDay; i++) batch.add(event(category));
      ingest.record(WS, batch);
      clock.advance(Duration.ofDays(1));
    }
  }

  static ObjectNode event(String category) {
    ObjectNode e = Json.MAPPER.createObjectNode().put("action", "thing.done");
    if (category != null) e.put("category", category);
    return e;
  }

  @Test
  void monthsOfEntriesArePurgedUpToTheFirstEntryInsideTheWindowAndTheRecordIsAppended() {
    days(90, 20, null); // days 0..89, 1800 entries
    integrity.signDue();
    Purger.Outcome o = purger(Purger.ArchiveStep.NONE).run(WS); // now = day 90: entries received before day 60 go
    assertThat(o.reason()).isNull();
    assertThat(o.purged().fromSeq()).isZero();
    assertThat(o.purged().toSeq()).isEqualTo(60 * 20);
    assertThat(o.purged().removed()).isEqualTo(60 * 20);
    assertThat(o.purged().kept()).isZero();
    assertThat(journal.read(WS, 0, 1200)).isEmpty();
    assertThat(journal.read(WS, 1200, 1201)).hasSize(1);
    assertThat(journal.purgedBefore(WS)).isEqualTo(1200);
    assertThat(journal.size(WS)).isEqualTo(1801);

    Entry record = journal.read(WS, 1800, 1801).getFirst();
    assertThat(o.purged().recordSeq()).isEqualTo(1800);
    assertThat(record.id()).isEqualTo(Purger.recordId(WS, 1200));
    ObjectNode json = record.json();
    assertThat(json.path("action").asString()).isEqualTo("audit_log.purged");
    assertThat(json.path("category").asString()).isEqualTo("audit_log");
    assertThat(json.path("actor").path("id").asString()).isEqualTo("retention");
    assertThat(json.path("metadata").path("to_seq").asLong()).isEqualTo(1200);
    assertThat(json.path("metadata").path("removed").asLong()).isEqualTo(1200);
    assertThat(json.path("metadata").path("policy_days").asInt()).isEqualTo(30);
    assertThat(json.path("metadata").path("cutoff").asString()).isEqualTo("2026-03-02T00:00:00.000Z");
    Purge p = journal.purges(WS).getFirst();
    assertThat(json.path("metadata").path("last_purged_hash").asString()).isEqualTo(p.lastLeaf().hex());
    assertThat(PurgeReason.parse(p.reason())).isEqualTo(new PurgeReason(30, "2026-03-02T00:00:00.000Z", 365, null, null));

    // the next day only one more day is past the window
    clock.advance(Duration.ofDays(1));
    integrity.signDue();
    Purger.Outcome next = purger(Purger.ArchiveStep.NONE).run(WS);
    assertThat(next.purged().fromSeq()).isEqualTo(1200);
    assertThat(next.purged().toSeq()).isEqualTo(1220);
    assertThat(purger(Purger.ArchiveStep.NONE).run(WS).reason()).startsWith("nothing old enough");
  }

  @Test
  void anEntryThatLooksOldBehindAYoungOneStays() {
    days(10, 5, null); // days 0..9
    clock.advance(Duration.ofDays(30)); // day 40
    ingest.record(WS, List.of(event(null))); // seq 50: young
    clock.set(START); // the clock went back: seq 51 looks as old as day 0
    ingest.record(WS, List.of(event(null)));
    clock.set(START.plus(Duration.ofDays(45)));
    integrity.signDue();
    Purger.Outcome o = purger(Purger.ArchiveStep.NONE).run(WS); // cutoff day 15
    assertThat(o.purged().toSeq()).as("stops at the first entry inside the window").isEqualTo(50);
    assertThat(journal.read(WS, 51, 52)).as("an older-looking entry after it stays").hasSize(1);
  }

  @Test
  void neverBeyondTheLatestSignedCheckpoint() {
    days(40, 10, null); // now day 40: entries of days 0..9 (seqs 0..99) are past the window
    Purger capped = new Purger(journal, ingest, (ws, now) -> rules.get(), ws -> 50, Purger.ArchiveStep.NONE, clock);
    assertThat(capped.run(WS).purged().toSeq()).as("the latest signed checkpoint's treeSize").isEqualTo(50);
    assertThat(journal.read(WS, 50, 100)).hasSize(50);
    assertThat(capped.run(WS).reason()).startsWith("not covered by a checkpoint yet");
  }

  @Test
  void theAccessTrailIsKeptWithoutAnArchiveAndAgesOutOnlyOnceArchived() {
    for (int d = 0; d < 60; d++) {
      ingest.record(WS, List.of(event(null), event("audit_log")));
      clock.advance(Duration.ofDays(1));
    }
    integrity.signDue();
    rules.set(new Purger.Rules(30, false, 365, false));
    Purger.Outcome o = purger(Purger.ArchiveStep.NONE).run(WS); // day 60, cutoff day 30: seqs 0..59
    assertThat(o.purged().toSeq()).isEqualTo(60);
    assertThat(o.purged().kept()).isEqualTo(30);
    assertThat(o.purged().removed()).isEqualTo(30);
    assertThat(journal.read(WS, 0, 60)).hasSize(30).allSatisfy(e -> assertThat(e.json().path("category").asString()).isEqualTo("audit_log"));

    // archiving on, but no archive step yet: the trail is still kept whole
    rules.set(new Purger.Rules(30, true, 40, false));
    clock.advance(Duration.ofDays(30)); // day 90: cutoff day 60 (everything), the trail's cutoff day 50
    integrity.signDue();
    Purger.Outcome kept = purger(Purger.ArchiveStep.NONE).run(WS);
    assertThat(kept.purged().kept()).isEqualTo(60);

    // archived from now on: trail entries of the archived range older than 40 days go; those below the old horizon
    // were never archived, so they stay
    List<long[]> archived = new ArrayList<>();
    clock.advance(Duration.ofDays(1)); // day 91: cutoff day 61, the trail's cutoff day 51
    ingest.record(WS, List.of(event(null)));
    integrity.signDue();
    long horizon = journal.purgedBefore(WS);
    Purger.Outcome aged = purger((ws, from, to) -> {
      archived.add(new long[] {from, to});
      return "file:///archives/acme-" + from + "-" + to + " sha256 00ff";
    }).run(WS);
    assertThat(archived).containsExactly(new long[] {horizon, aged.purged().toSeq()});
    assertThat(journal.read(WS, 0, horizon)).as("never archived: kept").hasSize(60);
    assertThat(journal.read(WS, horizon, aged.purged().toSeq())).allSatisfy(e ->
        assertThat(e.json().path("received_at").asString()).isGreaterThanOrEqualTo("2026-02-21T00:00:00.000Z"));
    Entry record = journal.findById(WS, Purger.recordId(WS, aged.purged().toSeq())).orElseThrow();
    assertThat(record.json().path("metadata").path("archive").asString()).isEqualTo("file:///archives/acme-" + horizon + "-" + aged.purged().toSeq() + " sha256 00ff");
    assertThat(record.json().path("metadata").path("audit_cutoff").asString()).isEqualTo("2026-02-21T00:00:00.000Z");
  }

  @Test
  void withEveryRangeArchivedTheAccessTrailAgesOutBelowTheOldHorizonToo() {
    for (int d = 0; d < 60; d++) {
      ingest.record(WS, List.of(event(null), event("audit_log")));
      clock.advance(Duration.ofDays(1));
    }
    integrity.signDue();
    rules.set(new Purger.Rules(30, true, 40, false));
    Purger.ArchiveStep archive = (ws, from, to) -> "file:///archives/" + from + "-" + to + " sha256 00";
    Purger.Outcome first = purger(archive).run(WS); // day 60: cutoff day 30, trail cutoff day 20: trail days 20..29 kept
    assertThat(first.purged().kept()).isEqualTo(10);
    clock.advance(Duration.ofDays(5)); // day 65: the trail's cutoff day 25: days 20..24 go now, below the old horizon
    ingest.record(WS, List.of(event(null)));
    integrity.signDue();
    Purger.Outcome second = purger(archive).run(WS);
    assertThat(journal.read(WS, 0, first.purged().toSeq())).hasSize(5)
        .allSatisfy(e -> assertThat(e.json().path("received_at").asString()).isGreaterThanOrEqualTo("2026-01-26T00:00:00.000Z"));
    assertThat(second.purged().removed()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void aHoldOrAnUnlimitedPolicyPurgesNothing() {
    days(60, 5, null);
    integrity.signDue();
    rules.set(new Purger.Rules(30, false, 365, true));
    assertThat(purger(Purger.ArchiveStep.NONE).run(WS).reason()).startsWith("held");
    rules.set(new Purger.Rules(null, false, 365, false));
    assertThat(purger(Purger.ArchiveStep.NONE).run(WS).reason()).startsWith("unlimited");
    assertThat(journal.purgedBefore(WS)).isZero();
    assertThat(journal.read(WS, 0, 300)).hasSize(300);
  }

  @Test
  void aPurgeWhoseRecordWasNeverAppendedGetsItAtTheNextPassOnce() {
    days(60, 5, null);
    integrity.signDue();
    // the first half of a pass, then the purger died: the store purged, the log has no record
    PurgeReason reason = new PurgeReason(30, "2026-01-31T00:00:00.000Z", 365, null, null);
    Purge p = journal.purge(WS, 150, new long[0], reason.text());
    assertThat(journal.findById(WS, Purger.recordId(WS, 150))).isEmpty();

    rules.set(new Purger.Rules(null, false, 365, false)); // whatever the policy now: the record is owed
    Purger purger = purger(Purger.ArchiveStep.NONE);
    purger.run(WS);
    Entry record = journal.findById(WS, Purger.recordId(WS, 150)).orElseThrow();
    assertThat(record.seq()).isEqualTo(300);
    assertThat(record.json().path("metadata").path("to_seq").asLong()).isEqualTo(150);
    purger.run(WS);
    assertThat(journal.size(WS)).as("appended once").isEqualTo(301);
    // the record is a function of the purge alone: appending it again is a duplicate of the same entry
    AppendResult again = ingest.record(WS, List.of(Purger.recordEvent(p, 0))).getFirst();
    assertThat(again.duplicate()).isTrue();
    assertThat(again.seq()).isEqualTo(300);
  }
}
