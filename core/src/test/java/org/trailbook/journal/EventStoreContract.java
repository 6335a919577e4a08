package org.trailbook.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;

import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;
import tools.jackson.databind.node.ObjectNode;

/**
 * The contract every {@link EventStore} backend passes. A backend's test extends this class and
 * says how to open a store on a directory (reopening the same directory must find the same log).
 */
public abstract class EventStoreContract {
  @TempDir protected Path dir;
  private final List<EventStore> opened = new ArrayList<>();

  /** Opens the backend on {@code dir}; called again on the same dir to test durability. */
  protected abstract EventStore openStore(Path dir);

  protected EventStore open() {
    return track(openStore(dir));
  }

  /** Closes {@code store} after the test. */
  protected EventStore track(EventStore store) {
    opened.add(store);
    return store;
  }

  protected void closeAll() {
    opened.forEach(EventStore::close);
    opened.clear();
  }

  @AfterEach
  void closeStores() {
    closeAll();
  }

  public static PendingEntry pending(String workspace, String id, String action) {
    return pending(workspace, id, action, "2026-11-20T10:00:00.000Z", "2026-11-20T10:00:01.000Z");
  }

  /** An entry with the given event time and receive time (equal ones stand for a time the server defaulted). */
  public static PendingEntry pending(String workspace, String id, String action, String time, String receivedAt) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("id", id);
    e.put("action", action);
    e.put("time", time);
    e.put("type", "user_action");
    e.putObject("metadata").put("note", "ünïcode \"quoted\" \u2028").putObject("nested").put("k", "v,}]\\\"");
    return EntryEncoder.prepare(workspace, receivedAt, e);
  }

  /** The id conflict an append failed with. */
  protected static IdConflictException conflictOf(CompletableFuture<List<AppendResult>> append) {
    try {
      append.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof IdConflictException c) return c;
      throw e;
    }
    throw new AssertionError("the append succeeded; an id conflict was expected");
  }

  protected static List<PendingEntry> batch(String workspace, String prefix, int n) {
    List<PendingEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(pending(workspace, prefix + i, "thing.created"));
    return out;
  }

  @Test
  void assignsContiguousSeqsFromZeroInRequestOrder() {
    EventStore s = open();
    List<AppendResult> first = s.append("ws-a", batch("ws-a", "a", 3)).join();
    List<AppendResult> second = s.append("ws-a", batch("ws-a", "b", 2)).join();
    assertThat(first).extracting(AppendResult::seq).containsExactly(0L, 1L, 2L);
    assertThat(first).extracting(AppendResult::id).containsExactly("a0", "a1", "a2");
    assertThat(second).extracting(AppendResult::seq).containsExactly(3L, 4L);
    assertThat(first).extracting(AppendResult::duplicate).containsOnly(false);
    assertThat(s.size("ws-a")).isEqualTo(5);
  }

  @Test
  void storesCanonicalEntriesWithSeqWorkspaceAndPrevHash() {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "e", 2)).join();
    Entry e1 = s.read("ws-a", 1, 2).getFirst();
    ObjectNode json = e1.json();
    assertThat(json.get("seq").asLong()).isEqualTo(1);
    assertThat(json.get("workspace").asString()).isEqualTo("ws-a");
    assertThat(json.get("id").asString()).isEqualTo("e1");
    assertThat(json.get("received_at").asString()).isEqualTo("2026-11-20T10:00:01.000Z");
    // the stored bytes are already canonical: canonicalizing them again changes nothing
    assertThat(org.trailbook.canonical.Jcs.canonicalize(json)).isEqualTo(e1.canonical());
  }

  @Test
  void chainsEveryEntryToTheLeafHashOfItsPredecessor() {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "x", 4)).join();
    s.append("ws-a", batch("ws-a", "y", 3)).join();
    TreeHasher hasher = new TreeHasher();
    Hash prev = Hash.ZERO;
    for (Entry e : s.read("ws-a", 0, 7)) {
      assertThat(e.json().get("prev_hash").asString()).isEqualTo(prev.hex());
      prev = hasher.leafHash(e.canonical());
    }
    assertThat(s.read("ws-a", 0, 1).getFirst().json().get("prev_hash").asString()).isEqualTo("0".repeat(64));
  }

  @Test
  void aResentIdStoresNothingAndAnswersWithTheOriginalSeq() {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "a", 3)).join();
    // a retry: same event, received again later
    PendingEntry retry = pending("ws-a", "a1", "thing.created", "2026-11-20T10:00:00.000Z", "2026-11-20T11:30:00.000Z");
    List<AppendResult> again = s.append("ws-a", List.of(retry, pending("ws-a", "new", "x.y"))).join();
    assertThat(again.get(0)).isEqualTo(new AppendResult("a1", 1, true));
    assertThat(again.get(1)).isEqualTo(new AppendResult("new", 3, false));
    assertThat(s.size("ws-a")).isEqualTo(4);
    assertThat(s.findById("ws-a", "a1").orElseThrow().json().get("action").asString()).isEqualTo("thing.created");
  }

  @Test
  void aRepeatedIdWithinOneBatchIsStoredOnce() {
    EventStore s = open();
    List<AppendResult> r = s.append("ws-a", List.of(pending("ws-a", "d", "a.b"), pending("ws-a", "d", "a.b"))).join();
    assertThat(r).containsExactly(new AppendResult("d", 0, false), new AppendResult("d", 0, true));
    assertThat(s.size("ws-a")).isEqualTo(1);
  }

  @Test
  void anIdReusedWithOtherContentIsAConflictNamingTheStoredSeqAndNothingOfTheBatchIsStored() {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "a", 3)).join();
    IdConflictException c = conflictOf(s.append("ws-a", List.of(pending("ws-a", "fresh", "x.y"), pending("ws-a", "a1", "other.action"))));
    assertThat(c.id()).isEqualTo("a1");
    assertThat(c.seq()).isEqualTo(1);
    assertThat(c.index()).isEqualTo(1);
    assertThat(c.getMessage()).contains("'a1'").contains("seq 1").contains("different content");
    assertThat(s.size("ws-a")).isEqualTo(3);
    assertThat(s.findById("ws-a", "fresh")).isEmpty();
    assertThat(s.findById("ws-a", "a1").orElseThrow().json().get("action").asString()).isEqualTo("thing.created");
    // the same batch without the conflicting event goes through
    assertThat(s.append("ws-a", List.of(pending("ws-a", "fresh", "x.y"))).join()).containsExactly(new AppendResult("fresh", 3, false));
  }

  @Test
  void anExplicitTimeIsContentButADefaultedOneIsNot() {
    EventStore s = open();
    // sent without a time: the server defaulted it to the receive time
    s.append("ws-a", List.of(pending("ws-a", "t", "a.b", "2026-11-20T10:00:01.000Z", "2026-11-20T10:00:01.000Z"))).join();
    // the retry, also without a time, arrives later and gets a later default: still the same event
    assertThat(s.append("ws-a", List.of(pending("ws-a", "t", "a.b", "2026-11-20T10:05:00.000Z", "2026-11-20T10:05:00.000Z"))).join())
        .containsExactly(new AppendResult("t", 0, true));
    // but an explicit, different time is a different event
    assertThat(conflictOf(s.append("ws-a", List.of(pending("ws-a", "t", "a.b", "2026-11-20T09:00:00.000Z", "2026-11-20T10:06:00.000Z")))).seq())
        .isEqualTo(0);
    // and with an explicit time stored, a retry must carry the same time (whenever it arrives)
    s.append("ws-a", List.of(pending("ws-a", "u", "a.b", "2026-11-20T08:00:00.000Z", "2026-11-20T10:07:00.000Z"))).join();
    assertThat(s.append("ws-a", List.of(pending("ws-a", "u", "a.b", "2026-11-20T08:00:00.000Z", "2026-11-20T10:09:00.000Z"))).join())
        .containsExactly(new AppendResult("u", 1, true));
    assertThat(conflictOf(s.append("ws-a", List.of(pending("ws-a", "u", "a.b", "2026-11-20T10:08:00.000Z", "2026-11-20T10:08:00.000Z")))).seq())
        .isEqualTo(1);
    assertThat(s.size("ws-a")).isEqualTo(2);
  }

  @Test
  void oneIdWithTwoContentsInOneBatchIsAConflictAndNothingIsStored() {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "a", 1)).join();
    IdConflictException c = conflictOf(s.append("ws-a", List.of(pending("ws-a", "x", "a.b"), pending("ws-a", "y", "a.b"), pending("ws-a", "x", "a.c"))));
    assertThat(c.seq()).isEqualTo(-1);
    assertThat(c.earlierIndex()).isEqualTo(0);
    assertThat(c.index()).isEqualTo(2);
    assertThat(c.getMessage()).contains("events 0 and 2").contains("'x'");
    assertThat(s.size("ws-a")).isEqualTo(1);
    // a stored event repeated identically, then differently, in one batch: the conflict names the stored seq
    IdConflictException d = conflictOf(s.append("ws-a", List.of(pending("ws-a", "a0", "thing.created"), pending("ws-a", "a0", "other.thing"))));
    assertThat(d.seq()).isEqualTo(0);
    assertThat(d.index()).isEqualTo(1);
    assertThat(s.size("ws-a")).isEqualTo(1);
  }

  @Test
  void findsConflictsAndRepeatsAcrossReopen() {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "a", 3)).join();
    closeAll();
    EventStore again = open();
    assertThat(conflictOf(again.append("ws-a", List.of(pending("ws-a", "a2", "changed.action")))).seq()).isEqualTo(2);
    assertThat(again.append("ws-a", List.of(pending("ws-a", "a2", "thing.created"))).join()).containsExactly(new AppendResult("a2", 2, true));
    assertThat(again.size("ws-a")).isEqualTo(3);
  }

  @Test
  void keepsEveryAcknowledgedEntryByteForByteAcrossReopen() {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "a", 5)).join();
    s.append("ws-b", batch("ws-b", "b", 2)).join();
    List<Entry> before = s.read("ws-a", 0, 5);
    closeAll();
    EventStore again = open();
    List<Entry> after = again.read("ws-a", 0, 5);
    assertThat(after).hasSize(5);
    for (int i = 0; i < 5; i++) assertThat(after.get(i).canonical()).isEqualTo(before.get(i).canonical());
    assertThat(again.size("ws-b")).isEqualTo(2);
    assertThat(again.workspaces()).containsExactly("ws-a", "ws-b");
  }

  @Test
  void continuesSequenceAndChainAfterReopen() {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "a", 3)).join();
    Hash last = new TreeHasher().leafHash(s.read("ws-a", 2, 3).getFirst().canonical());
    closeAll();
    EventStore again = open();
    assertThat(again.append("ws-a", batch("ws-a", "a", 4)).join())
        .extracting(AppendResult::duplicate).containsExactly(true, true, true, false);
    Entry e3 = again.read("ws-a", 3, 4).getFirst();
    assertThat(e3.id()).isEqualTo("a3");
    assertThat(e3.json().get("prev_hash").asString()).isEqualTo(last.hex());
  }

  @Test
  void keepsWorkspacesApart() {
    EventStore s = open();
    s.append("ws-a", List.of(pending("ws-a", "same", "a.created"))).join();
    List<AppendResult> b = s.append("ws-b", List.of(pending("ws-b", "same", "b.created"))).join();
    assertThat(b.getFirst()).isEqualTo(new AppendResult("same", 0, false));
    assertThat(s.findById("ws-a", "same").orElseThrow().json().get("action").asString()).isEqualTo("a.created");
    assertThat(s.findById("ws-b", "same").orElseThrow().json().get("action").asString()).isEqualTo("b.created");
    assertThat(s.findById("ws-c", "same")).isEmpty();
    assertThat(s.read("ws-b", 0, 10)).extracting(Entry::workspace).containsOnly("ws-b");
  }

  @Test
  void findsNothingForAnUnknownId() {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "a", 3)).join();
    assertThat(s.findById("ws-a", "nope")).isEmpty();
  }

  @Test
  void readSeqsAnswersTheAskedEntriesInTheOrderAskedAndLeavesOutSeqsBeyondTheLog() {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "a", 5)).join();
    assertThat(s.readSeqs("ws-a", new long[] {4, 0, 9, 2})).extracting(Entry::seq).containsExactly(4L, 0L, 2L);
    assertThat(s.readSeqs("ws-a", new long[] {3}).getFirst().canonical()).isEqualTo(s.read("ws-a", 3, 4).getFirst().canonical());
    assertThat(s.readSeqs("ws-none", new long[] {0})).isEmpty();
    assertThat(s.readSeqs("ws-a", new long[0])).isEmpty();
  }

  @Test
  void readClampsToTheLogSize() {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "a", 3)).join();
    assertThat(s.read("ws-a", 1, 100)).extracting(Entry::seq).containsExactly(1L, 2L);
    assertThat(s.read("ws-none", 0, 100)).isEmpty();
  }

  @Test
  void concurrentWritersGetContiguousSeqsAndEveryAcknowledgedEntryIsStoredOnce() throws Exception {
    EventStore s = open();
    int threads = 8, batches = 25, perBatch = 20;
    List<AppendResult> all = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        fs.add(pool.submit(() -> {
          for (int b = 0; b < batches; b++) all.addAll(s.append("ws-a", batch("ws-a", "t" + thread + "-" + b + "-", perBatch)).join());
        }));
      }
      for (Future<?> f : fs) f.get();
    }
    int n = threads * batches * perBatch;
    assertThat(all).hasSize(n);
    assertThat(all).extracting(AppendResult::seq).doesNotHaveDuplicates().allMatch(seq -> seq >= 0 && seq < n);
    List<Entry> entries = s.read("ws-a", 0, n);
    assertThat(entries).hasSize(n);
    for (AppendResult r : all) assertThat(entries.get((int) r.seq()).id()).isEqualTo(r.id());
  }

  // ------------------------------------------------------------------ the commit feed

  @Test
  void theFeedFromAllNamesEveryWorkspaceWithItsSize() {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "a", 3)).join();
    s.append("ws-b", batch("ws-b", "b", 1)).join();
    FeedChanges all = s.changesSince(FeedChanges.ALL);
    assertThat(all.sizes()).containsEntry("ws-a", 3L).containsEntry("ws-b", 1L);
  }

  @Test
  void theFeedNamesAWorkspaceThatGrewAfterTheCursorWithItsNewSize() {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "a", 2)).join();
    s.append("ws-b", batch("ws-b", "b", 2)).join();
    long cursor = s.changesSince(FeedChanges.ALL).cursor();
    s.append("ws-b", batch("ws-b", "c", 3)).join();
    FeedChanges next = s.changesSince(cursor);
    assertThat(next.sizes()).containsEntry("ws-b", 5L);
    // ws-a did not grow: if it is named at all, then with its unchanged size
    if (next.sizes().containsKey("ws-a")) assertThat(next.sizes()).containsEntry("ws-a", 2L);
  }

  @Test
  void theFeedOfANewlyOpenedStoreNamesEveryWorkspaceFromAll() {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "a", 2)).join();
    closeAll();
    EventStore again = open();
    assertThat(again.changesSince(FeedChanges.ALL).sizes()).containsEntry("ws-a", 2L);
  }

  @Test
  void awaitChangeReturnsOnceAnotherThreadCommitsAndTimesOutWithoutOne() throws Exception {
    EventStore s = open();
    long cursor = s.changesSince(FeedChanges.ALL).cursor();
    assertThat(s.awaitChange(cursor, java.time.Duration.ofMillis(50))).isFalse();
    CompletableFuture<Boolean> woken = CompletableFuture.supplyAsync(() -> {
      try {
        return s.awaitChange(cursor, java.time.Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    s.append("ws-a", batch("ws-a", "a", 1)).join();
    assertThat(woken.get(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(s.changesSince(cursor).sizes()).containsEntry("ws-a", 1L);
  }

  /**
   * A consumer following the feed while eight writers append to many workspaces ends level with
   * every log, having read each entry exactly once and in seq order: the feed never misses a change.
   */
  @Test
  void aConsumerFollowingTheFeedUnderConcurrentWritersSeesEveryEntryOnceInOrder() throws Exception {
    EventStore s = open();
    int threads = 8, batches = 30, perBatch = 5, workspaces = 12;
    java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.Map<String, Long> positions = new java.util.HashMap<>();
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    Thread consumer = Thread.ofPlatform().start(() -> {
      long cursor = FeedChanges.ALL;
      try {
        while (true) {
          boolean last = !writing.get(); // a pass that starts after the writers stopped sees everything
          FeedChanges c = s.changesSince(cursor);
          c.sizes().forEach((ws, size) -> {
            long from = positions.getOrDefault(ws, 0L);
            for (Entry e : s.read(ws, from, size)) {
              if (e.seq() != from) problems.add(ws + ": expected seq " + from + " but read " + e.seq());
              from = e.seq() + 1;
            }
            positions.put(ws, from);
          });
          cursor = c.cursor();
          if (last) return;
          s.awaitChange(cursor, java.time.Duration.ofMillis(200));
        }
      } catch (InterruptedException e) {
        problems.add("interrupted");
      }
    });
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        fs.add(pool.submit(() -> {
          for (int b = 0; b < batches; b++) {
            String ws = "ws-" + ((thread * 7 + b) % workspaces);
            s.append(ws, batch(ws, "t" + thread + "-" + b + "-", perBatch)).join();
          }
        }));
      }
      for (Future<?> f : fs) f.get();
    }
    writing.set(false);
    consumer.join(60_000);
    assertThat(consumer.isAlive()).isFalse();
    assertThat(problems).isEmpty();
    long total = 0;
    for (int w = 0; w < workspaces; w++) {
      String ws = "ws-" + w;
      assertThat(positions.getOrDefault(ws, 0L)).as(ws).isEqualTo(s.size(ws));
      total += s.size(ws);
    }
    assertThat(total).isEqualTo((long) threads * batches * perBatch);
  }
}
