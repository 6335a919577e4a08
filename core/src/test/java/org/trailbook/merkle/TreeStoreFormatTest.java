package org.trailbook.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.UnsupportedFormatException;

/**
 * Tree files start with a header (trailbook.tree.level / trailbook.tree.synced v1); version 0 files
 * (nodes from byte 0) are read and appended to in place; a newer version is refused; a damaged
 * header is named.
 */
class TreeStoreFormatTest {
  private static final int H = TreeStore.LEVEL_FORMAT.headerLength();
  @TempDir Path dir;

  private static Hash node(List<Hash> leaves, int level, long index) {
    return new ReferenceTree(leaves.subList((int) (index << level), (int) ((index + 1) << level))).root(1 << level);
  }

  /** A store of {@code count} leaves as the code before headers wrote it: nodes from byte 0, a 12-byte synced marker. */
  private void writeVersion0(List<Hash> leaves) throws IOException {
    Files.createDirectories(dir);
    for (int level = 0; leaves.size() >>> level > 0; level++) {
      ByteBuffer nodes = ByteBuffer.allocate((leaves.size() >>> level) * Hash.SIZE);
      for (long i = 0; i < leaves.size() >>> level; i++) nodes.put(node(leaves, level, i).bytesUnsafe());
      Files.write(dir.resolve(String.format("level-%02d", level)), nodes.array());
    }
    ByteBuffer synced = ByteBuffer.allocate(12).putLong(leaves.size());
    CRC32C crc = new CRC32C();
    crc.update(synced.array(), 0, 8);
    Files.write(dir.resolve("synced"), synced.putInt((int) crc.getValue()).array());
  }

  @Test
  void version0FilesAreReadAndAppendedToInPlace() throws IOException {
    List<Hash> leaves = ReferenceTree.leaves(150);
    writeVersion0(leaves.subList(0, 100));
    ReferenceTree reference = new ReferenceTree(leaves);
    try (TreeStore store = TreeStore.open(dir)) {
      assertThat(store.size()).isEqualTo(100);
      assertThat(store.root()).isEqualTo(reference.root(100));
      assertThat(store.rootAt(37)).isEqualTo(reference.root(37));
      assertThat(store.node(3, 11)).isEqualTo(node(leaves, 3, 11));
      store.append(leaves.subList(100, 150));
      assertThat(store.root()).isEqualTo(reference.root(150));
    }
    assertThat(Arrays.copyOf(Files.readAllBytes(dir.resolve("level-00")), Hash.SIZE)).as("level 0 stays version 0")
        .isEqualTo(leaves.getFirst().bytesUnsafe());
    assertThat(Files.size(dir.resolve("level-00"))).isEqualTo(150 * Hash.SIZE);
    assertThat(Arrays.copyOf(Files.readAllBytes(dir.resolve("level-07")), H)).as("a level created since gets the header")
        .isEqualTo(TreeStore.LEVEL_FORMAT.header());
    try (TreeStore store = TreeStore.open(dir)) {
      assertThat(store.size()).isEqualTo(150);
      for (int size = 0; size <= 150; size += 7) assertThat(store.rootAt(size)).isEqualTo(reference.root(size));
      assertThat(store.inclusionProof(120, 150).hashes()).isEqualTo(reference.path(120, 150));
    }
  }

  @Test
  void aLevelOfANewerVersionIsRefused() throws IOException {
    try (TreeStore store = TreeStore.open(dir)) {
      store.append(ReferenceTree.leaves(10));
    }
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("level-00").toFile(), "rw")) {
      f.write(TreeStore.LEVEL_FORMAT.header(2));
    }
    assertThatThrownBy(() -> TreeStore.open(dir)).isInstanceOf(UnsupportedFormatException.class)
        .hasMessage(dir.resolve("level-00") + " is trailbook.tree.level format version 2, written by a newer Trailbook:"
            + " upgrade Trailbook to read it (this build reads versions 0 to 1)");
  }

  @Test
  void aSyncedMarkerOfANewerVersionIsRefused() throws IOException {
    try (TreeStore store = TreeStore.open(dir)) {
      store.append(ReferenceTree.leaves(10));
    }
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("synced").toFile(), "rw")) {
      f.write(TreeStore.SYNCED_FORMAT.header(2));
    }
    assertThatThrownBy(() -> TreeStore.open(dir)).isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("synced");
  }

  @Test
  void aDamagedLevelHeaderIsNamed() throws IOException {
    try (TreeStore store = TreeStore.open(dir)) {
      store.append(ReferenceTree.leaves(10));
    }
    Path level1 = dir.resolve("level-01");
    byte[] bytes = Files.readAllBytes(level1);
    bytes[10] ^= 0x20; // inside the format name
    Files.write(level1, bytes);
    assertThatThrownBy(() -> TreeStore.open(dir)).isInstanceOf(TreeStoreException.class)
        .hasMessageContaining("level 1 of the tree, " + level1 + ", is damaged: its header fails its CRC32C");
    assertThat(Files.readAllBytes(level1)).as("left as it was").isEqualTo(bytes);
  }
}
