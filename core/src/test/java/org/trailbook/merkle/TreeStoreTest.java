package org.trailbook.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.InvalidInputException;

class TreeStoreTest {
  /** Nodes start after the file header. */
  private static final int H = TreeStore.LEVEL_FORMAT.headerLength();
  @TempDir Path dir;

  /** Leaves, roots and proofs of the 8-leaf tree: transparency-dev/merkle testonly/constants.go and proof/verify_test.go. */
  @Test
  void servesTheKnownRootsAndProofs() {
    try (TreeStore store = TreeStore.open(dir)) {
      store.append(Rfc6962Vectors.leafHashes());
      assertThat(store.size()).isEqualTo(8);
      assertThat(store.root()).isEqualTo(Rfc6962Vectors.ROOTS.get(8));
      for (int size = 0; size <= 8; size++) assertThat(store.rootAt(size)).isEqualTo(Rfc6962Vectors.ROOTS.get(size));
      ProofVerifierTest.knownInclusionProofs().forEach(p ->
          assertThat(store.inclusionProof(p.leafIndex(), p.treeSize())).isEqualTo(p));
      ProofVerifierTest.knownConsistencyProofs().forEach(p ->
          assertThat(store.consistencyProof(p.fromSize(), p.toSize())).isEqualTo(p));
      for (int level = 0; level < 4; level++) {
        for (int index = 0; index < 8 >> level; index++) {
          assertThat(store.node(level, index)).isEqualTo(Rfc6962Vectors.node(level, index));
        }
      }
      assertThat(store.leafHash(5)).isEqualTo(Rfc6962Vectors.node(0, 5));
    }
  }

  @Test
  void keepsOneFilePerLevelWithNodeIAtOffset32IAfterTheHeader() throws IOException {
    try (TreeStore store = TreeStore.open(dir)) {
      store.append(Rfc6962Vectors.leafHashes().subList(0, 7));
      assertThat(Files.size(dir.resolve("level-00"))).isEqualTo(H + 7 * 32);
      assertThat(Files.size(dir.resolve("level-01"))).isEqualTo(H + 3 * 32);
      assertThat(Files.size(dir.resolve("level-02"))).isEqualTo(H + 32);
      assertThat(dir.resolve("level-03")).doesNotExist();
      byte[] level1 = Files.readAllBytes(dir.resolve("level-01"));
      assertThat(java.util.Arrays.copyOf(level1, H)).isEqualTo(TreeStore.LEVEL_FORMAT.header());
      assertThat(Hash.of(java.util.Arrays.copyOfRange(level1, H + 64, H + 96))).isEqualTo(Rfc6962Vectors.node(1, 2));
      assertThat(store.nodes(1, 1, 2)).isEqualTo(java.util.Arrays.copyOfRange(level1, H + 32, H + 96));
    }
  }

  @Test
  void rejectsSizesBeyondTheLog() {
    try (TreeStore store = TreeStore.open(dir)) {
      store.append(ReferenceTree.leaves(8));
      assertThatThrownBy(() -> store.rootAt(9)).isInstanceOf(InvalidInputException.class)
          .hasMessage("treeSize 9 out of bounds for log size 8");
      assertThatThrownBy(() -> store.inclusionProof(8, 8)).isInstanceOf(InvalidInputException.class)
          .hasMessage("leafIndex 8 out of bounds for treeSize 8");
      assertThatThrownBy(() -> store.consistencyProof(3, 9)).isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> store.leafHash(8)).isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> store.node(1, 4)).isInstanceOf(InvalidInputException.class)
          .hasMessage("nodes [4, 5) at level 1 out of bounds for treeSize 8");
    }
  }

  @Test
  void resumesAfterReopening() {
    List<Hash> leaves = ReferenceTree.leaves(300);
    try (TreeStore store = TreeStore.open(dir)) {
      store.append(leaves.subList(0, 137));
    }
    try (TreeStore store = TreeStore.open(dir)) {
      assertThat(store.size()).isEqualTo(137);
      store.append(leaves.subList(137, 300));
      assertThat(store.root()).isEqualTo(new ReferenceTree(leaves).root(300));
    }
  }

  /** Against the naive RFC recursion in {@link ReferenceTree}; every proof verifies and every altered proof fails. */
  @Property(tries = 40)
  void agreesWithTheReferenceAndItsProofsVerify(@ForAll @IntRange(min = 1, max = 3000) int count, @ForAll long seed)
      throws IOException {
    Random random = new Random(seed);
    List<Hash> leaves = ReferenceTree.leaves(count);
    ReferenceTree reference = new ReferenceTree(leaves);
    Path tmp = Files.createTempDirectory("treestore");
    try (TreeStore store = TreeStore.open(tmp)) {
      for (int done = 0; done < count; ) {
        int batch = Math.min(count - done, 1 + random.nextInt(700));
        store.append(leaves.subList(done, done + batch));
        done += batch;
        assertThat(store.root()).isEqualTo(reference.root(done));
      }
      for (int probe = 0; probe < 10; probe++) {
        int treeSize = 1 + random.nextInt(count);
        int leafIndex = random.nextInt(treeSize);
        int fromSize = random.nextInt(treeSize + 1);
        Hash root = store.rootAt(treeSize);
        Hash fromRoot = store.rootAt(fromSize);
        assertThat(root).isEqualTo(reference.root(treeSize));
        assertThat(fromRoot).isEqualTo(reference.root(fromSize));

        InclusionProof inclusion = store.inclusionProof(leafIndex, treeSize);
        assertThat(inclusion.hashes()).isEqualTo(reference.path(leafIndex, treeSize));
        ProofVerifier.verifyInclusion(inclusion, leaves.get(leafIndex), root);
        for (List<Hash> altered : alterations(inclusion.hashes(), random)) {
          assertThatThrownBy(() -> ProofVerifier.verifyInclusion(new InclusionProof(leafIndex, treeSize, altered), leaves.get(leafIndex), root))
              .isInstanceOf(ProofException.class);
        }

        ConsistencyProof consistency = store.consistencyProof(fromSize, treeSize);
        assertThat(consistency.hashes()).isEqualTo(reference.proof(fromSize, treeSize));
        ProofVerifier.verifyConsistency(consistency, fromRoot, root);
        for (List<Hash> altered : alterations(consistency.hashes(), random)) {
          assertThatThrownBy(() -> ProofVerifier.verifyConsistency(new ConsistencyProof(fromSize, treeSize, altered), fromRoot, root))
              .isInstanceOf(ProofException.class);
        }
      }
    } finally {
      deleteRecursively(tmp);
    }
  }

  /** A flipped bit in each hash, a dropped hash, an added hash, and two swapped hashes. */
  private static List<List<Hash>> alterations(List<Hash> hashes, Random random) {
    List<List<Hash>> result = new ArrayList<>();
    for (int i = 0; i < hashes.size(); i++) {
      List<Hash> flipped = new ArrayList<>(hashes);
      flipped.set(i, ProofVerifierTest.flipBit(hashes.get(i), random.nextInt(8)));
      result.add(flipped);
    }
    if (!hashes.isEmpty()) {
      List<Hash> dropped = new ArrayList<>(hashes);
      dropped.remove(random.nextInt(hashes.size()));
      result.add(dropped);
    }
    List<Hash> added = new ArrayList<>(hashes);
    added.add(random.nextInt(hashes.size() + 1), ReferenceTree.leaves(1).getFirst());
    result.add(added);
    if (hashes.size() > 1) {
      List<Hash> swapped = new ArrayList<>(hashes);
      int i = random.nextInt(hashes.size());
      int j = (i + 1 + random.nextInt(hashes.size() - 1)) % hashes.size();
      java.util.Collections.swap(swapped, i, j);
      result.add(swapped);
    }
    return result;
  }

  @Test
  void cutsATornPartialLeaf() throws IOException {
    write(100, false);
    appendBytes("level-00", new byte[] {1, 2, 3, 4, 5});
    assertRecoversTo(100);
  }

  @Test
  void dropsInteriorNodesThatTheLeavesNoLongerSupport() throws IOException {
    write(100, false);
    truncate("level-00", H + 97 * 32 + 11);
    assertRecoversTo(97);
  }

  @Test
  void cutsGarbageAppendedToAnInteriorLevel() throws IOException {
    write(100, true);
    appendBytes("level-02", new byte[100]);
    assertRecoversTo(100);
  }

  @Test
  void recomputesARemovedInteriorLevel() throws IOException {
    write(100, true);
    Files.delete(dir.resolve("level-01"));
    assertRecoversTo(100);
  }

  @Test
  void recomputesInteriorNodesShortenedAfterTheLastSync() throws IOException {
    write(100, false);
    truncate("level-01", H + 10 * 32 + 7);
    truncate("level-03", 0);
    assertRecoversTo(100);
  }

  @Test
  void recomputesDamagedInteriorNodesWrittenAfterTheLastSync() throws IOException {
    List<Hash> leaves = ReferenceTree.leaves(100);
    TreeStore store = TreeStore.open(dir);
    store.append(leaves.subList(0, 40));
    store.sync();
    store.append(leaves.subList(40, 100)); // then a crash: never synced, never closed
    overwrite("level-02", H + 20 * 32, new byte[32]); // zeros where the node over leaves [80, 84) should be
    overwrite("level-01", H + 30 * 32, new byte[32]); // and over leaves [60, 62)
    assertRecoversTo(100);
  }

  @Test
  void removesLevelsAboveTheTree() throws IOException {
    write(20, false);
    Files.write(dir.resolve("level-07"), new byte[64]);
    assertRecoversTo(20);
  }

  @Test
  void refusesLeavesLostAfterTheyWereSynced() throws IOException {
    write(100, true);
    truncate("level-00", H + 90 * 32);
    assertThatThrownBy(() -> TreeStore.open(dir)).isInstanceOf(TreeStoreException.class)
        .hasMessageContaining("holds 90 leaves but 100 were synced");
  }

  @Test
  void opensAnEmptyStoreWhenLevelZeroIsGoneAndNothingWasSynced() throws IOException {
    write(30, false);
    Files.delete(dir.resolve("level-00"));
    assertRecoversTo(0);
  }

  @Test
  void servesConsistentRootsAndProofsToReadersWhileAppending() throws Exception {
    int count = 6000;
    List<Hash> leaves = ReferenceTree.leaves(count);
    List<Hash> roots = new ArrayList<>();
    MerkleRoots compact = new MerkleRoots();
    roots.add(compact.root());
    for (Hash leaf : leaves) {
      compact.append(leaf);
      roots.add(compact.root());
    }
    ExecutorService readers = Executors.newFixedThreadPool(3);
    AtomicBoolean done = new AtomicBoolean();
    try (TreeStore store = TreeStore.open(dir)) {
      List<Future<Integer>> checks = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        long seed = r;
        checks.add(readers.submit(() -> {
          Random random = new Random(seed);
          int checked = 0;
          while (!done.get() || checked == 0) {
            long size = store.size();
            if (size == 0) continue;
            assertThat(store.rootAt(size)).isEqualTo(roots.get((int) size));
            long treeSize = 1 + random.nextLong(size);
            long leafIndex = random.nextLong(treeSize);
            assertThat(store.rootAt(treeSize)).isEqualTo(roots.get((int) treeSize));
            ProofVerifier.verifyInclusion(store.inclusionProof(leafIndex, treeSize), leaves.get((int) leafIndex), roots.get((int) treeSize));
            long fromSize = random.nextLong(treeSize + 1);
            ProofVerifier.verifyConsistency(store.consistencyProof(fromSize, treeSize), roots.get((int) fromSize), roots.get((int) treeSize));
            checked++;
          }
          return checked;
        }));
      }
      Random random = new Random(42);
      for (int appended = 0; appended < count; ) {
        int batch = Math.min(count - appended, 1 + random.nextInt(50));
        store.append(leaves.subList(appended, appended + batch));
        appended += batch;
      }
      done.set(true);
      for (Future<Integer> check : checks) assertThat(check.get()).isPositive();
    } finally {
      readers.shutdownNow();
    }
  }

  @Test
  void keepsServingReadersAfterOneIsInterrupted() throws Exception {
    try (TreeStore store = TreeStore.open(dir)) {
      store.append(ReferenceTree.leaves(64));
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> store.node(0, 3)).isInstanceOf(TreeStoreException.class);
      assertThat(Thread.interrupted()).isTrue();
      assertThat(store.node(0, 3)).isEqualTo(ReferenceTree.leaves(4).get(3));
      assertThatCode(() -> store.append(ReferenceTree.leaves(65).subList(64, 65))).doesNotThrowAnyException();
    }
  }

  /** Writes {@code count} leaves, then either closes (which syncs) or crashes: leaves the store unsynced and unclosed. */
  private void write(int count, boolean sync) {
    TreeStore store = TreeStore.open(dir);
    store.append(ReferenceTree.leaves(count));
    if (sync) store.close();
  }

  /** Reopens: size, every level file length, every node and every root equal the reference, and appends resume. */
  private void assertRecoversTo(int expectedSize) throws IOException {
    List<Hash> leaves = ReferenceTree.leaves(expectedSize + 50);
    ReferenceTree reference = new ReferenceTree(leaves);
    try (TreeStore store = TreeStore.open(dir)) {
      assertThat(store.size()).isEqualTo(expectedSize);
      for (int level = 0; level < 63; level++) {
        Path file = dir.resolve(String.format("level-%02d", level));
        long nodes = expectedSize >>> level;
        if (level > 0 && nodes == 0) assertThat(file).doesNotExist();
        else if (Files.exists(file)) assertThat(Files.size(file)).as(file.toString()).isEqualTo(H + nodes * 32);
      }
      assertThat(store.root()).isEqualTo(reference.root(expectedSize));
      for (int size = 0; size <= expectedSize; size++) assertThat(store.rootAt(size)).isEqualTo(reference.root(size));
      for (int level = 0; (expectedSize >>> level) > 0; level++) {
        for (long index = 0; index < expectedSize >>> level; index++) {
          assertThat(store.node(level, index)).isEqualTo(new ReferenceTree(leaves.subList((int) (index << level), (int) ((index + 1) << level))).root(1 << level));
        }
      }
      store.append(leaves.subList(expectedSize, expectedSize + 50));
      assertThat(store.root()).isEqualTo(reference.root(expectedSize + 50));
    }
  }

  private void appendBytes(String file, byte[] bytes) throws IOException {
    Files.write(dir.resolve(file), bytes, StandardOpenOption.APPEND);
  }

  private void truncate(String file, long length) throws IOException {
    try (FileChannel channel = FileChannel.open(dir.resolve(file), StandardOpenOption.WRITE)) {
      channel.truncate(length);
    }
  }

  private void overwrite(String file, long position, byte[] bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(dir.resolve(file), StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(bytes), position);
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    try (Stream<Path> paths = Files.walk(path)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
