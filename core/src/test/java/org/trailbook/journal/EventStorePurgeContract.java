package org.trailbook.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trailbook.journal.EventStoreContract.batch;
import static org.trailbook.journal.EventStoreContract.pending;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;

/**
 * The purge contract every {@link EventStore} backend passes (retention, docs/adr/0004): what {@link
 * EventStore#purge} removes and keeps, what it records ({@link Purge}, the leaf hashes), and that the
 * log's size, seqs and chain never change. A backend's test extends this class and says how to open a
 * store on a directory; reopening the same directory must find the same log (that is the restart).
 */
public abstract class EventStorePurgeContract {
  protected static final String WS = "ws-a";
  @TempDir protected Path dir;
  private final List<EventStore> opened = new ArrayList<>();
  private final TreeHasher hasher = new TreeHasher();

  /** Opens the backend on {@code dir}; called again on the same dir to test durability. */
  protected abstract EventStore openStore(Path dir);

  protected EventStore open() {
    EventStore s = openStore(dir);
    opened.add(s);
    return s;
  }

  protected void closeAll() {
    opened.forEach(EventStore::close);
    opened.clear();
  }

  /** Closes every store and opens the directory again: a restart. */
  protected EventStore reopen() {
    closeAll();
    return open();
  }

  @AfterEach
  void closeStores() {
    closeAll();
  }

  /** A store holding {@code n} entries e0..e(n-1) in {@link #WS} (appended in a few batches). */
  protected EventStore withEntries(int n) {
    EventStore s = open();
    for (int i = 0; i < n; i += 4) {
      List<PendingEntry> b = new ArrayList<>();
      for (int k = i; k < Math.min(n, i + 4); k++) b.add(pending(WS, "e" + k, "thing.created"));
      s.append(WS, b).join();
    }
    return s;
  }

  protected static long[] seqsOf(List<Entry> entries) {
    return entries.stream().mapToLong(Entry::seq).toArray();
  }

  protected byte[] leavesOf(List<Entry> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Entry e : entries) out.writeBytes(hasher.leafHash(e.canonical()).toBytes());
    return out.toByteArray();
  }

  protected Hash leaf(Entry e) {
    return hasher.leafHash(e.canonical());
  }

  @Test
  void removesEveryEntryBelowTheHorizonAndNothingElse() {
    EventStore s = withEntries(10);
    s.append("ws-b", batch("ws-b", "b", 3)).join();
    Purge p = s.purge(WS, 6, new long[0], "30 days");
    assertThat(p).isNotNull();
    assertThat(seqsOf(s.read(WS, 0, 10))).containsExactly(6, 7, 8, 9);
    assertThat(s.size(WS)).isEqualTo(10);
    assertThat(s.purgedBefore(WS)).isEqualTo(6);
    assertThat(s.findById(WS, "e5")).isEmpty();
    assertThat(s.findById(WS, "e0")).isEmpty();
    assertThat(s.findById(WS, "e6").orElseThrow().seq()).isEqualTo(6);
    assertThat(s.read(WS, 2, 7)).extracting(Entry::seq).containsExactly(6L);
    // another workspace is not touched
    assertThat(s.read("ws-b", 0, 3)).hasSize(3);
    assertThat(s.purgedBefore("ws-b")).isZero();
    assertThat(s.purges("ws-b")).isEmpty();
  }

  @Test
  void keepsTheEntriesItIsToldToKeep() {
    EventStore s = withEntries(10);
    s.purge(WS, 6, new long[] {1, 4}, "30 days, access trail kept");
    assertThat(seqsOf(s.read(WS, 0, 10))).containsExactly(1, 4, 6, 7, 8, 9);
    assertThat(s.findById(WS, "e1").orElseThrow().seq()).isEqualTo(1);
    assertThat(s.findById(WS, "e4").orElseThrow().seq()).isEqualTo(4);
    assertThat(s.findById(WS, "e2")).isEmpty();
    assertThat(seqsOf(s.readSeqs(WS, new long[] {4, 2, 9, 1, 0}))).containsExactly(4, 9, 1);
    assertThat(s.purges(WS).getFirst().removed()).isEqualTo(4);
  }

  @Test
  void aLaterPurgeRemovesKeptEntriesItsKeepOmits() {
    EventStore s = withEntries(10);
    s.purge(WS, 6, new long[] {1, 4}, "first");
    Purge second = s.purge(WS, 8, new long[] {4}, "second");
    assertThat(second.fromSeq()).isEqualTo(6);
    assertThat(second.toSeq()).isEqualTo(8);
    assertThat(second.removed()).isEqualTo(3); // 1 (no longer kept), 6 and 7
    assertThat(seqsOf(s.read(WS, 0, 10))).containsExactly(4, 8, 9);
    assertThat(s.findById(WS, "e1")).isEmpty();
    // the same horizon again, now keeping nothing: the last kept entry goes
    Purge third = s.purge(WS, 8, new long[0], "third");
    assertThat(third.removed()).isEqualTo(1);
    assertThat(third.fromSeq()).isEqualTo(8);
    assertThat(third.toSeq()).isEqualTo(8);
    assertThat(seqsOf(s.read(WS, 0, 10))).containsExactly(8, 9);
    assertThat(s.purgedBefore(WS)).isEqualTo(8);
  }

  @Test
  void keepsTheLeafHashOfEverySeqBelowTheHorizon() {
    EventStore s = withEntries(12);
    List<Entry> original = s.read(WS, 0, 12);
    s.purge(WS, 5, new long[] {2}, "first");
    assertThat(s.purgedLeaves(WS, 0, 5)).isEqualTo(leavesOf(original.subList(0, 5)));
    s.purge(WS, 9, new long[0], "second");
    assertThat(s.purgedLeaves(WS, 0, 9)).isEqualTo(leavesOf(original.subList(0, 9)));
    assertThat(s.purgedLeaves(WS, 3, 7)).isEqualTo(leavesOf(original.subList(3, 7)));
    assertThat(s.purgedLeaves(WS, 4, 4)).isEmpty();
  }

  @Test
  void recordsEveryPurgeOldestFirst() {
    EventStore s = withEntries(10);
    List<Entry> original = s.read(WS, 0, 10);
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Purge first = s.purge(WS, 4, new long[] {0}, "policy 30 days");
    Purge second = s.purge(WS, 7, new long[0], "policy 7 days");
    Instant after = Instant.now().plusMillis(1);
    assertThat(first.workspace()).isEqualTo(WS);
    assertThat(first.fromSeq()).isZero();
    assertThat(first.toSeq()).isEqualTo(4);
    assertThat(first.removed()).isEqualTo(3);
    assertThat(first.lastLeaf()).isEqualTo(leaf(original.get(3)));
    assertThat(first.reason()).isEqualTo("policy 30 days");
    assertThat(first.purgedAt()).isBetween(before, after);
    assertThat(second.fromSeq()).isEqualTo(4);
    assertThat(second.toSeq()).isEqualTo(7);
    assertThat(second.removed()).isEqualTo(4); // 0, 4, 5, 6
    assertThat(second.lastLeaf()).isEqualTo(leaf(original.get(6)));
    assertThat(s.purges(WS)).containsExactly(first, second);
  }

  @Test
  void answersNullWhenThereIsNothingToDo() {
    EventStore s = withEntries(6);
    assertThat(s.purge(WS, 0, new long[0], "nothing")).isNull();
    s.purge(WS, 4, new long[] {1}, "first");
    assertThat(s.purge(WS, 4, new long[] {1}, "again")).isNull();
    assertThat(s.purge(WS, 2, new long[] {1}, "below the horizon")).isNull();
    assertThat(s.purges(WS)).hasSize(1);
    assertThat(s.purgedBefore(WS)).isEqualTo(4);
    assertThat(s.purge("ws-none", 0, new long[0], "empty")).isNull();
  }

  @Test
  void refusesAHorizonBeyondTheLogOrAKeepNotBelowIt() {
    EventStore s = withEntries(6);
    assertThatThrownBy(() -> s.purge(WS, 7, new long[0], "too far")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.purge(WS, 4, new long[] {4}, "keep at the horizon")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.purge(WS, 4, new long[] {1, 5}, "keep beyond")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.purge("ws-none", 1, new long[0], "no log")).isInstanceOf(IllegalArgumentException.class);
    // nothing changed
    assertThat(s.read(WS, 0, 6)).hasSize(6);
    assertThat(s.purgedBefore(WS)).isZero();
    assertThat(s.purges(WS)).isEmpty();
  }

  @Test
  void purgesTheWholeLog() {
    EventStore s = withEntries(5);
    List<Entry> original = s.read(WS, 0, 5);
    Purge p = s.purge(WS, 5, new long[0], "all");
    assertThat(p.removed()).isEqualTo(5);
    assertThat(s.read(WS, 0, 5)).isEmpty();
    assertThat(s.size(WS)).isEqualTo(5);
    assertThat(s.workspaces()).contains(WS);
    assertThat(s.purgedLeaves(WS, 0, 5)).isEqualTo(leavesOf(original));
  }

  @Test
  void tailReadsLeavePurgedEntriesOut() {
    EventStore s = withEntries(8);
    assertThat(s.readTail(WS, 0, 8)).hasSize(8); // the newest entries may be served from memory
    s.purge(WS, 5, new long[] {3}, "tail");
    assertThat(seqsOf(s.readTail(WS, 0, 8))).containsExactly(3, 5, 6, 7);
    assertThat(seqsOf(s.read(WS, 0, 8))).containsExactly(3, 5, 6, 7);
  }

  @Test
  void appendsAfterAPurgeContinueTheSequenceAndTheChain() {
    EventStore s = withEntries(6);
    Entry last = s.read(WS, 5, 6).getFirst();
    Purge p = s.purge(WS, 6, new long[0], "all of it");
    assertThat(p.lastLeaf()).isEqualTo(leaf(last));
    List<AppendResult> r = s.append(WS, batch(WS, "n", 2)).join();
    assertThat(r).extracting(AppendResult::seq).containsExactly(6L, 7L);
    Entry e6 = s.read(WS, 6, 7).getFirst();
    assertThat(e6.json().get("prev_hash").asString()).isEqualTo(p.lastLeaf().hex());
    assertThat(s.read(WS, 7, 8).getFirst().json().get("prev_hash").asString()).isEqualTo(leaf(e6).hex());
    assertThat(s.size(WS)).isEqualTo(8);
  }

  @Test
  void aPurgedIdAppendedAgainIsANewEntry() {
    EventStore s = withEntries(6);
    s.purge(WS, 3, new long[0], "ids");
    // same content as the purged e1: no longer a duplicate
    assertThat(s.append(WS, List.of(pending(WS, "e1", "thing.created"))).join()).containsExactly(new AppendResult("e1", 6, false));
    // other content than the purged e2: no longer a conflict
    assertThat(s.append(WS, List.of(pending(WS, "e2", "other.action"))).join()).containsExactly(new AppendResult("e2", 7, false));
    assertThat(s.findById(WS, "e1").orElseThrow().seq()).isEqualTo(6);
    assertThat(s.findById(WS, "e2").orElseThrow().json().get("action").asString()).isEqualTo("other.action");
    // and a retained id still answers as a duplicate
    assertThat(s.append(WS, List.of(pending(WS, "e4", "thing.created"))).join()).containsExactly(new AppendResult("e4", 4, true));
  }

  @Test
  void aKeptIdIsStillADuplicate() {
    EventStore s = withEntries(6);
    s.purge(WS, 4, new long[] {2}, "keep");
    assertThat(s.append(WS, List.of(pending(WS, "e2", "thing.created"))).join()).containsExactly(new AppendResult("e2", 2, true));
  }

  @Test
  void aReopenedStoreFindsThePurgedLogAsItWas() {
    EventStore s = withEntries(10);
    List<Entry> original = s.read(WS, 0, 10);
    s.purge(WS, 4, new long[] {1, 2}, "first");
    s.purge(WS, 7, new long[] {2}, "second");
    List<Purge> purges = s.purges(WS);
    EventStore again = reopen();
    assertThat(again.purgedBefore(WS)).isEqualTo(7);
    assertThat(again.purges(WS)).hasSize(2);
    for (int i = 0; i < 2; i++) {
      Purge a = again.purges(WS).get(i), b = purges.get(i);
      assertThat(a).usingRecursiveComparison().ignoringFields("purgedAt").isEqualTo(b);
      assertThat(a.purgedAt().truncatedTo(ChronoUnit.MILLIS)).isEqualTo(b.purgedAt().truncatedTo(ChronoUnit.MILLIS));
    }
    assertThat(again.purgedLeaves(WS, 0, 7)).isEqualTo(leavesOf(original.subList(0, 7)));
    List<Entry> read = again.read(WS, 0, 10);
    assertThat(seqsOf(read)).containsExactly(2, 7, 8, 9);
    for (Entry e : read) assertThat(e.canonical()).isEqualTo(original.get((int) e.seq()).canonical());
    assertThat(again.findById(WS, "e1")).isEmpty();
    assertThat(again.findById(WS, "e2")).isPresent();
    assertThat(again.size(WS)).isEqualTo(10);
    List<AppendResult> r = again.append(WS, List.of(pending(WS, "e0", "thing.created"))).join();
    assertThat(r).containsExactly(new AppendResult("e0", 10, false));
    assertThat(again.read(WS, 10, 11).getFirst().json().get("prev_hash").asString()).isEqualTo(leaf(original.get(9)).hex());
    // and a purge after the restart goes on from the recorded horizon
    Purge third = again.purge(WS, 9, new long[0], "third");
    assertThat(third.fromSeq()).isEqualTo(7);
    assertThat(third.removed()).isEqualTo(3);
    assertThat(reopen().purges(WS)).hasSize(3);
  }

  @Test
  void theFeedStillReportsSizesAfterAPurge() {
    EventStore s = withEntries(6);
    long cursor = s.changesSince(FeedChanges.ALL).cursor();
    s.purge(WS, 6, new long[0], "feed");
    assertThat(s.changesSince(FeedChanges.ALL).sizes()).containsEntry(WS, 6L);
    FeedChanges since = s.changesSince(cursor);
    if (since.sizes().containsKey(WS)) assertThat(since.sizes()).containsEntry(WS, 6L);
    s.append(WS, batch(WS, "n", 1)).join();
    assertThat(s.changesSince(cursor).sizes()).containsEntry(WS, 7L);
    assertThat(reopen().changesSince(FeedChanges.ALL).sizes()).containsEntry(WS, 7L);
  }
}
