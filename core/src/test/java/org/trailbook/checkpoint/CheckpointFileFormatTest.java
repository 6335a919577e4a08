package org.trailbook.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.UnsupportedFormatException;

/**
 * The checkpoint file's header (trailbook.checkpoints v1): version 0 files (no header) are read and
 * appended to by the store and read by {@code verify}'s reader; a newer version is refused by both;
 * a damaged header is named; a torn tail is kept in a side file.
 */
class CheckpointFileFormatTest {
  private static final int HEADER = CheckpointStore.FORMAT.headerLength();
  @TempDir Path dir;

  private static String note(long size) {
    return "trailbook.example/acme\n" + size + "\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\u2014 trailbook.example AAAAAA==\n";
  }

  private Path file() {
    return dir.resolve("checkpoints");
  }

  /** A checkpoint file as the code before headers wrote it: records from byte 0. */
  private void writeVersion0(long... sizes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long size : sizes) {
      byte[] n = note(size).getBytes(StandardCharsets.UTF_8);
      ByteBuffer record = ByteBuffer.allocate(16 + n.length).putInt(n.length).putLong(size).put(n);
      CRC32C crc = new CRC32C();
      crc.update(record.array(), 0, 12 + n.length);
      record.putInt((int) crc.getValue());
      out.write(record.array());
    }
    Files.createDirectories(dir);
    Files.write(file(), out.toByteArray());
  }

  private List<Long> readAll() {
    CheckpointReader reader = CheckpointReader.open(dir);
    List<Long> sizes = new ArrayList<>();
    for (CheckpointReader.Stored s = reader.next(); s != null; s = reader.next()) sizes.add(s.treeSize());
    assertThat(reader.tornTail()).isNull();
    return sizes;
  }

  @Test
  void aNewFileStartsWithTheHeader() throws IOException {
    try (CheckpointStore store = CheckpointStore.open(dir)) {
      store.append(1, note(1));
    }
    assertThat(Arrays.copyOf(Files.readAllBytes(file()), HEADER)).isEqualTo(CheckpointStore.FORMAT.header());
    assertThat(readAll()).containsExactly(1L);
  }

  @Test
  void aVersion0FileIsReadAndAppendedToInPlace() throws IOException {
    writeVersion0(1, 5, 8);
    try (CheckpointStore store = CheckpointStore.open(dir)) {
      assertThat(store.sizes()).containsExactly(1L, 5L, 8L);
      assertThat(store.atSize(5)).contains(note(5));
      store.append(13, note(13));
    }
    assertThat(ByteBuffer.wrap(Files.readAllBytes(file())).getInt(0)).as("still records from byte 0")
        .isEqualTo(note(1).getBytes(StandardCharsets.UTF_8).length);
    try (CheckpointStore store = CheckpointStore.open(dir)) {
      assertThat(store.sizes()).containsExactly(1L, 5L, 8L, 13L);
      assertThat(store.latest()).contains(note(13));
    }
    assertThat(readAll()).as("verify's reader").containsExactly(1L, 5L, 8L, 13L);
  }

  @Test
  void aNewerVersionIsRefusedByTheStoreAndByVerifysReader() throws IOException {
    try (CheckpointStore store = CheckpointStore.open(dir)) {
      store.append(1, note(1));
    }
    try (RandomAccessFile f = new RandomAccessFile(file().toFile(), "rw")) {
      f.write(CheckpointStore.FORMAT.header(2));
    }
    String message = file() + " is trailbook.checkpoints format version 2, written by a newer Trailbook: upgrade Trailbook to read it"
        + " (this build reads versions 0 to 1)";
    assertThatThrownBy(() -> CheckpointStore.open(dir)).isInstanceOf(UnsupportedFormatException.class).hasMessage(message);
    assertThatThrownBy(() -> CheckpointReader.open(dir).next()).isInstanceOf(UnsupportedFormatException.class).hasMessage(message);
  }

  @Test
  void aDamagedHeaderIsNamed() throws IOException {
    try (CheckpointStore store = CheckpointStore.open(dir)) {
      store.append(1, note(1));
    }
    byte[] bytes = Files.readAllBytes(file());
    bytes[HEADER - 6] ^= 0x04; // the version
    Files.write(file(), bytes);
    String message = "checkpoint store " + file() + " is damaged: its file header is damaged: its header fails its CRC32C";
    assertThatThrownBy(() -> CheckpointStore.open(dir)).isInstanceOf(CheckpointException.class).hasMessage(message);
    assertThatThrownBy(() -> CheckpointReader.open(dir).next()).isInstanceOf(CheckpointException.class).hasMessage(message);
    assertThat(Files.readAllBytes(file())).as("left as it was").isEqualTo(bytes);
  }

  @Test
  void aTornTailIsKeptInASideFile() throws IOException {
    try (CheckpointStore store = CheckpointStore.open(dir)) {
      store.append(1, note(1));
      store.append(2, note(2));
    }
    long intact = Files.size(file());
    byte[] torn = {0, 0, 0, 9, 1, 2, 3}; // an append a crash cut short
    Files.write(file(), torn, java.nio.file.StandardOpenOption.APPEND);
    try (CheckpointStore store = CheckpointStore.open(dir)) {
      assertThat(store.sizes()).containsExactly(1L, 2L);
    }
    assertThat(Files.size(file())).isEqualTo(intact);
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> sides = files.filter(p -> p.getFileName().toString().startsWith("checkpoints.torn-")).toList();
      assertThat(sides).singleElement().satisfies(p -> assertThat(Files.readAllBytes(p)).isEqualTo(torn));
    }
  }

  @Test
  void aFileWhoseHeaderACrashCutShortGetsAFreshOne() throws IOException {
    Files.createDirectories(dir);
    Files.write(file(), Arrays.copyOf(CheckpointStore.FORMAT.header(), 6));
    assertThat(CheckpointReader.open(dir).next()).isNull();
    try (CheckpointStore store = CheckpointStore.open(dir)) {
      assertThat(store.sizes()).isEmpty();
      store.append(4, note(4));
    }
    assertThat(Arrays.copyOf(Files.readAllBytes(file()), HEADER)).isEqualTo(CheckpointStore.FORMAT.header());
    assertThat(readAll()).containsExactly(4L);
  }
}
