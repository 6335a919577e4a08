package org.trailbook.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.trailbook.OverloadedException;

class FileJournalTest extends EventStoreContract {

  @Override
  protected EventStore openStore(Path dir) {
    return FileJournal.open(dir, new FileJournal.Options(1 << 20, 10_000, 20_000));
  }

  private Path segment(int i) {
    return dir.resolve(FileJournal.segmentName(i));
  }

  @Test
  void cutsGarbageAfterTheLastGroupAndContinuesTheSequence() throws IOException {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "a", 3)).join();
    closeAll();
    Files.write(segment(0), new byte[] {(byte) 0xFE, (byte) 0xFE, 0x54, 0x42, 1, 2, 3}, StandardOpenOption.APPEND);
    long sizeWithGarbage = Files.size(segment(0));
    EventStore again = open();
    assertThat(again.size("ws-a")).isEqualTo(3);
    assertThat(Files.size(segment(0))).isEqualTo(sizeWithGarbage - 7);
    assertThat(again.append("ws-a", batch("ws-a", "b", 1)).join().getFirst().seq()).isEqualTo(3);
  }

  @Test
  void dropsAGroupThatWasOnlyPartlyWritten() throws IOException {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "a", 3)).join();
    long firstGroupEnd = Files.size(segment(0));
    s.append("ws-a", batch("ws-a", "b", 3)).join();
    closeAll();
    // a crash mid-write leaves only part of the second group on disk
    try (RandomAccessFile f = new RandomAccessFile(segment(0).toFile(), "rw")) {
      f.setLength(Files.size(segment(0)) - 10);
    }
    EventStore again = open();
    assertThat(again.size("ws-a")).isEqualTo(3);
    assertThat(Files.size(segment(0))).isEqualTo(firstGroupEnd);
    assertThat(again.findById("ws-a", "b0")).isEmpty();
  }

  @Test
  void refusesToOpenWhenAcknowledgedHistoryIsDamaged() throws IOException {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "a", 3)).join();
    s.append("ws-a", batch("ws-a", "b", 3)).join();
    closeAll();
    flipByte(segment(0), 100);
    assertThatThrownBy(this::open)
        .isInstanceOf(JournalCorruptedException.class)
        .hasMessageContaining("damaged before its tail")
        .hasMessageContaining("segment-0000000000.wal");
  }

  @Test
  void reportsAChecksumFailureWhenReadingADamagedEntry() throws IOException {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "a", 2)).join();
    flipByte(segment(0), Files.size(segment(0)) - 20);
    assertThatThrownBy(() -> s.read("ws-a", 1, 2))
        .isInstanceOf(JournalCorruptedException.class)
        .hasMessageContaining("checksum failed: expected=");
  }

  @Test
  void feedConsumersReadTheNewestEntriesFromMemoryWhileReadChecksTheFiles() throws IOException {
    EventStore s = open();
    s.append("ws-a", batch("ws-a", "a", 2)).join();
    List<Entry> stored = s.read("ws-a", 0, 2);
    flipByte(segment(0), Files.size(segment(0)) - 20);
    List<Entry> tail = s.readTail("ws-a", 0, 2); // the tail cache, filled as the group was published
    assertThat(tail).extracting(Entry::seq).containsExactly(0L, 1L);
    for (int i = 0; i < 2; i++) assertThat(tail.get(i).canonical()).isEqualTo(stored.get(i).canonical());
    assertThatThrownBy(() -> s.read("ws-a", 1, 2)).as("a scrub still sees the damage").isInstanceOf(JournalCorruptedException.class);
  }

  @Test
  void rollsSegmentsAndReadsAcrossThem() {
    EventStore s = FileJournal.open(dir, new FileJournal.Options(4096, 10_000, 20_000));
    for (int b = 0; b < 40; b++) s.append("ws-a", batch("ws-a", "b" + b + "-", 5)).join();
    s.close();
    assertThat(segment(3)).exists();
    EventStore again = open();
    assertThat(again.size("ws-a")).isEqualTo(200);
    assertThat(again.read("ws-a", 0, 200)).extracting(Entry::seq).containsExactlyElementsOf(
        Stream.iterate(0L, i -> i + 1).limit(200).toList());
    assertThat(again.findById("ws-a", "b39-4").orElseThrow().seq()).isEqualTo(199);
  }

  @Test
  void refusesABatchBeyondThePendingLimitAtOnce() {
    EventStore s = track(FileJournal.open(dir, new FileJournal.Options(1 << 20, 5, 20_000)));
    assertThatThrownBy(() -> s.append("ws-a", batch("ws-a", "a", 6)))
        .isInstanceOf(OverloadedException.class)
        .hasMessageContaining("5 events behind");
    assertThat(s.append("ws-a", batch("ws-a", "a", 5)).join()).hasSize(5);
  }

  @Test
  void refusesABatchBeyondThePendingBytesAtOnce() {
    EventStore s = track(FileJournal.open(dir, new FileJournal.Options(1 << 20, 10_000, 20_000, 1_000, 1 << 20)));
    List<PendingEntry> big = batch("ws-a", "b", 6); // each entry is a few hundred bytes
    assertThatThrownBy(() -> s.append("ws-a", big))
        .isInstanceOf(OverloadedException.class)
        .hasMessageContaining("waiting");
    assertThat(s.append("ws-a", batch("ws-a", "a", 1)).join()).hasSize(1);
    assertThat(s.size("ws-a")).isEqualTo(1);
  }

  @Test
  void refusesAMissingSegment() throws IOException {
    EventStore s = FileJournal.open(dir, new FileJournal.Options(4096, 10_000, 20_000));
    for (int b = 0; b < 20; b++) s.append("ws-a", batch("ws-a", "b" + b + "-", 5)).join();
    s.close();
    Files.delete(segment(1));
    assertThatThrownBy(this::open).isInstanceOf(JournalCorruptedException.class).hasMessageContaining("segment-0000000001.wal is missing");
  }

  // ------------------------------------------------------------------ a failed writer

  @Test
  void anInterruptedWriterRefusesEveryLaterAppendAtOnceNamingTheCause() throws InterruptedException {
    FileJournal j = (FileJournal) open();
    j.append("ws-a", batch("ws-a", "a", 2)).join();
    Thread writer = j.health().thread();
    writer.interrupt(); // nothing in the server interrupts the writer: an interrupt is a fault

    writer.join(10_000);
    assertThat(writer.isAlive()).as("the writer ended").isFalse();
    assertThat(j.acceptsWrites()).isFalse();
    assertThatThrownBy(() -> j.append("ws-a", batch("ws-a", "b", 1)))
        .isInstanceOf(JournalUnavailableException.class)
        .hasMessageContaining("the journal writer stopped (InterruptedException)")
        .hasMessageContaining("writes are refused until the server restarts");
    assertThat(j.health().failure().cause()).isInstanceOf(InterruptedException.class);
    assertThat(j.read("ws-a", 0, 2)).as("what was acknowledged stays readable").hasSize(2);
  }

  @Test
  void anErrorInTheWriterFailsTheRequestItHeldAndEveryLaterOne() {
    FileJournal j = (FileJournal) open();
    j.writer().fault = () -> {
      throw new OutOfMemoryError("simulated: no heap left on the writer thread");
    };
    CompletableFuture<List<AppendResult>> held = j.append("ws-a", batch("ws-a", "a", 2));
    // a deadline, not join(): before the fix an Error could leave a request waiting for ever
    assertThatThrownBy(() -> held.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(JournalUnavailableException.class).hasMessageContaining("(OutOfMemoryError)");
    assertThat(j.acceptsWrites()).isFalse();
    assertThatThrownBy(() -> j.append("ws-a", batch("ws-a", "b", 1))).isInstanceOf(JournalUnavailableException.class);
  }

  @Test
  void noAppendIsLeftWaitingWhenTheWriterStopsUnderLoadAndEveryAcknowledgedEntryIsDurable() throws Exception {
    FileJournal j = (FileJournal) open();
    Map<String, CompletableFuture<List<AppendResult>>> sent = new ConcurrentHashMap<>();
    ExecutorService senders = Executors.newFixedThreadPool(4);
    try {
      for (int t = 0; t < 4; t++) {
        String ws = "ws-" + t;
        senders.submit(() -> {
          for (int i = 0; i < 400; i++) {
            String prefix = ws + "-" + i + "-";
            try {
              sent.put(prefix, j.append(ws, batch(ws, prefix, 2)));
            } catch (JournalUnavailableException | OverloadedException refusedAtOnce) {
              // refused before queueing: fine, the point is that nothing queued waits for ever
            }
          }
        });
      }
      awaitTrue(() -> sent.size() > 100);
      j.health().thread().interrupt();
    } finally {
      senders.shutdown();
      assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    List<String> acknowledged = new ArrayList<>();
    for (var e : sent.entrySet()) {
      try {
        e.getValue().get(10, TimeUnit.SECONDS); // completes either way, within the deadline
        acknowledged.add(e.getKey());
      } catch (ExecutionException refused) {
        assertThat(refused.getCause()).isInstanceOf(JournalUnavailableException.class);
      }
    }
    assertThat(j.acceptsWrites()).isFalse();
    closeAll();
    EventStore again = open();
    for (String prefix : acknowledged) {
      String ws = prefix.substring(0, prefix.indexOf('-', 3));
      assertThat(again.findById(ws, prefix + "1")).as("acknowledged %s1", prefix).isPresent();
    }
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // re-check every millisecond
    }
  }

  @Test
  void anIdConflictInAGroupRefusesOnlyItsOwnRequest() throws Exception {
    FileJournal s = (FileJournal) open();
    // hold the writer inside the commit of a first group, so the next three requests are drained as one group
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    List<Long> sizeAfterEachGroup = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    s.writer().fault = () -> {
      sizeAfterEachGroup.add(s.size("ws-a"));
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    var first = s.append("ws-a", List.of(pending("ws-a", "before", "a.b")));
    entered.await();
    var original = s.append("ws-a", List.of(pending("ws-a", "x", "thing.created")));
    var conflicting = s.append("ws-a", List.of(pending("ws-a", "y", "a.b"), pending("ws-a", "x", "other.thing")));
    var repeating = s.append("ws-a", List.of(pending("ws-a", "x", "thing.created"), pending("ws-a", "z", "a.b")));
    release.countDown();
    first.join();
    assertThat(original.join()).containsExactly(new AppendResult("x", 1, false));
    IdConflictException c = conflictOf(conflicting);
    assertThat(c.seq()).isEqualTo(1);
    assertThat(c.index()).isEqualTo(1);
    assertThat(repeating.join()).containsExactly(new AppendResult("x", 1, true), new AppendResult("z", 2, false));
    // one group wrote x and z (1 -> 3): the in-group path ran (apart, the sizes would be 1, 2, 3)
    assertThat(sizeAfterEachGroup).containsExactly(1L, 3L);
    assertThat(s.findById("ws-a", "y")).isEmpty();
    assertThat(s.size("ws-a")).isEqualTo(3);
  }

  static void flipByte(Path file, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x01);
    }
  }
}
