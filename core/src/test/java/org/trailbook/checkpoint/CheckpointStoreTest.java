package org.trailbook.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file of one workspace's checkpoints: torn tails, damage, its index. What every store does is in {@link CheckpointsContract}. */
class CheckpointStoreTest {
  /** Records start after the file header. */
  private static final long HEADER = CheckpointStore.FORMAT.headerLength();
  @TempDir Path dir;

  private static String note(long size) {
    return "trailbook.example/acme\n" + size + "\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\u2014 trailbook.example AAAAAA==\n";
  }

  /** Record length on disk: 4-byte length, 8-byte treeSize, note, 4-byte CRC32C. */
  private static long recordLength(long size) {
    return 16 + note(size).getBytes(StandardCharsets.UTF_8).length;
  }

  private void fill(long... sizes) {
    try (CheckpointStore store = CheckpointStore.open(dir)) {
      for (long size : sizes) store.append(size, note(size));
    }
  }

  @Test
  void cutsATailCutShortInsideARecord() throws IOException {
    fill(1, 2, 3);
    truncate(Files.size(file()) - 5);
    assertRecoversTo(List.of(1L, 2L), HEADER + recordLength(1) + recordLength(2));
  }

  @Test
  void cutsATailCutShortInsideAHeader() throws IOException {
    fill(1, 2);
    appendBytes(new byte[] {0, 0, 0, 9, 1});
    assertRecoversTo(List.of(1L, 2L), HEADER + recordLength(1) + recordLength(2));
  }

  @Test
  void cutsALastRecordFailingItsCrc() throws IOException {
    fill(1, 2, 3);
    flipByte(Files.size(file()) - 20);
    assertRecoversTo(List.of(1L, 2L), HEADER + recordLength(1) + recordLength(2));
  }

  @Test
  void cutsATailOfZeros() throws IOException {
    fill(1, 2);
    appendBytes(new byte[4096]);
    assertRecoversTo(List.of(1L, 2L), HEADER + recordLength(1) + recordLength(2));
  }

  @Test
  void reportsDamageBeforeTheTail() throws IOException {
    fill(1, 2, 3);
    flipByte(HEADER + recordLength(1) + 20); // inside the note of the second record
    long before = Files.size(file());
    assertThatThrownBy(() -> CheckpointStore.open(dir)).isInstanceOf(CheckpointException.class)
        .hasMessage("checkpoint store " + file() + " is damaged: record at offset " + (HEADER + recordLength(1))
            + " fails its CRC32C and is not the last record");
    assertThat(Files.size(file())).isEqualTo(before);
  }

  @Test
  void reportsAnInvalidLengthBeforeTheTail() throws IOException {
    fill(1, 2, 3);
    try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.allocate(4).putInt(0, -7), HEADER + recordLength(1));
    }
    assertThatThrownBy(() -> CheckpointStore.open(dir)).isInstanceOf(CheckpointException.class)
        .hasMessageEndingWith("record at offset " + (HEADER + recordLength(1)) + " has invalid length -7");
  }

  @Test
  void detectsDamageToAStoredRecordOnRead() throws IOException {
    fill(1, 2, 3);
    try (CheckpointStore store = CheckpointStore.open(dir)) {
      flipByte(HEADER + 30);
      assertThatThrownBy(() -> store.atSize(1)).isInstanceOf(CheckpointException.class)
          .hasMessageEndingWith("record at offset " + HEADER + " fails its CRC32C on read");
    }
  }

  @Test
  void findsAnySizeAmongManyCheckpoints() {
    try (CheckpointStore store = CheckpointStore.open(dir)) {
      for (long size = 1; size <= 2000; size++) store.append(size * 3, note(size * 3));
    }
    try (CheckpointStore store = CheckpointStore.open(dir)) {
      assertThat(store.sizes()).hasSize(2000);
      assertThat(store.atSize(3 * 1234)).contains(note(3 * 1234));
      assertThat(store.atSize(3 * 1234 + 1)).isEmpty();
      assertThat(store.latest()).contains(note(6000));
    }
  }

  private void assertRecoversTo(List<Long> sizes, long fileLength) throws IOException {
    try (CheckpointStore store = CheckpointStore.open(dir)) {
      assertThat(store.sizes()).isEqualTo(sizes);
      assertThat(Files.size(file())).isEqualTo(fileLength);
      assertThat(store.latest()).contains(note(sizes.getLast()));
      store.append(100, note(100));
    }
    try (CheckpointStore store = CheckpointStore.open(dir)) {
      assertThat(store.latest()).contains(note(100));
      assertThat(store.atSize(sizes.getFirst())).contains(note(sizes.getFirst()));
    }
  }

  private Path file() {
    return dir.resolve("checkpoints");
  }

  private void truncate(long length) throws IOException {
    try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
      channel.truncate(length);
    }
  }

  private void appendBytes(byte[] bytes) throws IOException {
    Files.write(file(), bytes, StandardOpenOption.APPEND);
  }

  private void flipByte(long position) throws IOException {
    try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, position);
      channel.write(ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ 0x40)}), position);
    }
  }
}
