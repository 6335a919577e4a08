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
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("id", id);
    e.put("action", action);
    e.put("time", "2026-11-20T10:00:00.000Z");
    e.put("type", "user_action");
    e.putObject("metadata").put("note", "ünïcode \"quoted\" \u2028");
    return EntryEncoder.prepare(workspace, "2026-11-20T10:00:01.000Z", e);
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
    List<AppendResult> again = s.append("ws-a", List.of(pending("ws-a", "a1", "other.action"), pending("ws-a", "new", "x.y"))).join();
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

  @Test
  void tellsListenersOfEveryCommittedEntryInOrderWithItsLeafHash() {
    EventStore s = open();
    List<CommittedEntry> seen = Collections.synchronizedList(new ArrayList<>());
    s.addListener(seen::addAll);
    CompletableFuture<List<AppendResult>> a = s.append("ws-a", batch("ws-a", "a", 3));
    CompletableFuture<List<AppendResult>> b = s.append("ws-a", batch("ws-a", "b", 2));
    a.join();
    b.join();
    assertThat(seen).extracting(CommittedEntry::seq).containsExactly(0L, 1L, 2L, 3L, 4L);
    TreeHasher h = new TreeHasher();
    for (CommittedEntry c : seen) {
      assertThat(c.canonical()).isEqualTo(s.read("ws-a", c.seq(), c.seq() + 1).getFirst().canonical());
      assertThat(c.leafHash()).isEqualTo(h.leafHash(c.canonical()));
    }
  }
}
