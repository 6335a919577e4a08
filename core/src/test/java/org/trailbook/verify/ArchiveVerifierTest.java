package org.trailbook.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.Json;
import org.trailbook.archive.ArchiveFormat;
import org.trailbook.archive.ArchiveWriter;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.LogKey;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStoreContract;
import org.trailbook.journal.FileJournal;
import org.trailbook.journal.PendingEntry;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.TreeHasher;
import org.trailbook.merkle.TreeStore;
import tools.jackson.databind.node.ObjectNode;

/**
 * Archives written by {@link ArchiveWriter} from a real journal and tree verify with nothing but the verifier key, and
 * every kind of damage — compressed bytes, an entry, a node of the trailer, the checkpoint's signature, a dropped,
 * reordered or added line, a truncation, the wrong key — fails with a message saying what and where.
 */
class ArchiveVerifierTest {
  @TempDir static Path dir;
  static FileJournal journal;
  static TreeStore tree;
  static LogKey key = LogKey.generate("trailbook");
  static String checkpoint;
  static final int SIZE = 37;

  @BeforeAll
  static void log() {
    journal = FileJournal.open(dir.resolve("journal"));
    List<PendingEntry> batch = new ArrayList<>();
    for (int i = 0; i < SIZE; i++) batch.add(EventStoreContract.pending("acme", "e" + i, "thing.done"));
    journal.append("acme", batch).join();
    tree = TreeStore.open(dir.resolve("tree"));
    TreeHasher hasher = new TreeHasher();
    List<Hash> leaves = new ArrayList<>();
    for (Entry e : journal.read("acme", 0, SIZE)) leaves.add(hasher.leafHash(e.canonical()));
    tree.append(leaves);
    checkpoint = key.sign(new Checkpoint("trailbook/acme", SIZE, tree.rootAt(SIZE)));
  }

  @AfterAll
  static void close() {
    tree.close();
    journal.close();
  }

  static byte[] archive(long from, long to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ArchiveWriter.write(out, journal, "acme", from, to, checkpoint, tree, Instant.parse("2026-12-07T10:00:00Z"));
    return out.toByteArray();
  }

  static ArchiveVerifier.Result verify(byte[] archive) {
    return ArchiveVerifier.verify(new ByteArrayInputStream(archive), key.verifier());
  }

  @Test
  void anArchiveVerifiesWhateverItsPlaceInTheTree() {
    for (long[] range : new long[][] {{0, SIZE}, {0, 5}, {5, 17}, {16, 32}, {30, SIZE}, {36, SIZE}, {11, 12}}) {
      ArchiveVerifier.Result r = verify(archive(range[0], range[1]));
      assertThat(r.ok()).as(r.line()).isTrue();
      assertThat(r.line()).isEqualTo("archive of acme seqs [" + range[0] + ", " + range[1] + "): OK — " + (range[1] - range[0])
          + " entries, proven against the signed checkpoint of tree size " + SIZE + "; file SHA-256 " + r.sha256());
      assertThat(r.sha256()).isEqualTo(java.util.HexFormat.of().formatHex(sha256(archive(range[0], range[1]))));
    }
  }

  @Test
  void theFileIsNdjsonOfHeaderEntriesAndTrailer() throws IOException {
    List<byte[]> lines = lines(archive(5, 9));
    assertThat(lines).hasSize(1 + 4 + 1);
    assertThat(Json.MAPPER.readTree(lines.getFirst()).toString()).isEqualTo("{\"format\":\"trailbook.archive\",\"version\":1,\"workspace\":\"acme\","
        + "\"from_seq\":5,\"to_seq\":9,\"count\":4,\"tree_size\":37,\"created_at\":\"2026-12-07T10:00:00Z\"}");
    for (int i = 0; i < 4; i++) assertThat(lines.get(1 + i)).isEqualTo(journal.read("acme", 5 + i, 6 + i).getFirst().canonical());
    ObjectNode trailer = (ObjectNode) Json.MAPPER.readTree(lines.getLast());
    assertThat(trailer.get("checkpoint").asString()).isEqualTo(checkpoint);
    assertThat(trailer.get("entries").asLong()).isEqualTo(4);
    // left: [0, 4) and [4, 5); right: [9, 10) [10, 12) [12, 16) [16, 32) [32, 36) [36, 37)
    assertThat(trailer.get("left").size()).isEqualTo(2);
    assertThat(trailer.get("right").size()).isEqualTo(6);
    assertThat(trailer.get("left").get(0).get("hash").asString()).isEqualTo(tree.node(2, 0).base64());
  }

  @Test
  void aFlippedByteInTheCompressedDataFails() {
    byte[] good = archive(3, 30);
    for (int at : new int[] {good.length / 3, good.length / 2, good.length - 6}) {
      byte[] bad = good.clone();
      bad[at] ^= 0x10;
      ArchiveVerifier.Result r = verify(bad);
      assertThat(r.ok()).as("flipped byte %d: %s", at, r.line()).isFalse();
    }
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 20);
    assertThat(verify(truncated).failure()).contains("damaged or truncated");
  }

  @Test
  void anAlteredEntryIsNamed() throws IOException {
    String middle = verify(rewrite(archive(3, 30), lines -> replaceIn(lines, 1 + 10, "thing.done", "thing.gone"))).failure();
    assertThat(middle).isEqualTo("line 12: seq 13 was altered: its hash no longer matches the prev_hash recorded in seq 14");
    String chain = verify(rewrite(archive(3, 30), lines -> replaceIn(lines, 1 + 17, tree.leafHash(19).hex(), tree.leafHash(0).hex()))).failure();
    assertThat(chain).isEqualTo("line 19: seq 20 was altered: its prev_hash does not match the hash of seq 19, and its own hash does not match "
        + "the prev_hash recorded in seq 21");
    String last = verify(rewrite(archive(3, 30), lines -> replaceIn(lines, 27, "thing.done", "thing.gone"))).failure();
    assertThat(last).contains("possibly the last, seq 29").contains("give root hash", "but the signed checkpoint of tree size 37 has");
  }

  @Test
  void anAlteredNodeOfTheTrailerFails() throws IOException {
    String hash = tree.node(2, 0).base64();
    String other = tree.node(2, 1).base64();
    String r = verify(rewrite(archive(5, 9), lines -> replaceIn(lines, lines.size() - 1, hash, other))).failure();
    assertThat(r).contains("a node hash of the trailer was altered");
    String moved = verify(rewrite(archive(5, 9), lines -> replaceIn(lines, lines.size() - 1, "\"level\":2,\"index\":0", "\"level\":2,\"index\":1")))
        .failure();
    assertThat(moved).contains("the trailer's left nodes").contains("are not the compact range");
    // the same 32 bytes spelled another way (base64 bits that decoding ignores) is a change to the file too
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    String respelled = hash.substring(0, 42) + alphabet.charAt(alphabet.indexOf(hash.charAt(42)) ^ 1) + hash.substring(43);
    assertThat(Hash.fromBase64(respelled)).isEqualTo(Hash.fromBase64(hash));
    assertThat(verify(rewrite(archive(5, 9), lines -> replaceIn(lines, lines.size() - 1, hash, respelled))).failure())
        .contains("is not canonical base64");
  }

  @Test
  void anAlteredCheckpointSignatureOrTheWrongKeyFails() throws IOException {
    String signature = checkpoint.substring(checkpoint.lastIndexOf(' ') + 1, checkpoint.length() - 1);
    char c = signature.charAt(10);
    String altered = signature.substring(0, 10) + (c == 'A' ? 'B' : 'A') + signature.substring(11);
    String r = verify(rewrite(archive(5, 9), lines -> replaceIn(lines, lines.size() - 1, signature, altered))).failure();
    assertThat(r).contains("the checkpoint is forged or altered");
    ArchiveVerifier.Result wrong = ArchiveVerifier.verify(new ByteArrayInputStream(archive(5, 9)), LogKey.generate("trailbook").verifier());
    assertThat(wrong.failure()).contains("the checkpoint is signed by key trailbook+").contains("expected key trailbook+");
  }

  @Test
  void aDroppedReorderedOrAddedLineFails() throws IOException {
    assertThat(verify(rewrite(archive(5, 20), lines -> lines.remove(4))).failure())
        .contains("line 5: expected seq 8 but found seq 9 (seq 8 was removed, or lines reordered)");
    assertThat(verify(rewrite(archive(5, 20), lines -> lines.remove(15))).failure())
        .contains("line 16: the trailer comes after 14 seqs but the header promises 15");
    assertThat(verify(rewrite(archive(5, 20), lines -> Collections.swap(lines, 3, 4))).failure())
        .contains("line 4: expected seq 7 but found seq 8");
    assertThat(verify(rewrite(archive(5, 20), lines -> lines.add(lines.getLast()))).failure()).contains("line 18: there is data after the trailer");
    assertThat(verify(rewrite(archive(5, 20), lines -> lines.add(15, lines.get(15)))).failure())
        .contains("line 17: expected the trailer after 15 seqs, found another line");
    assertThat(verify(rewrite(archive(5, 20), lines -> lines.removeLast())).failure()).contains("with no trailer (truncated)");
    assertThat(verify(rewrite(archive(5, 20), lines -> replaceIn(lines, 0, "\"count\":15", "\"count\":14"))).failure())
        .contains("line 1: header: count 14 is not to_seq - from_seq = 15");
  }

  /**
   * Seeded random damage: any byte of the compressed file (checked with the file's expected SHA-256 too), or any byte
   * of any decompressed line (re-compressed, so only the content is changed) except the informational created_at,
   * makes the archive fail.
   */
  @Test
  void everySingleByteChangeFails() throws IOException {
    java.util.Random random = new java.util.Random(20261207);
    for (int round = 0; round < 150; round++) {
      long from = random.nextInt(SIZE);
      long to = from + 1 + random.nextInt((int) (SIZE - from));
      byte[] good = archive(from, to);
      byte[] flipped = good.clone();
      flipped[random.nextInt(flipped.length)] ^= (byte) (1 + random.nextInt(255));
      // zstd frames have a few bits that do not change the content (window size, block headers): the content check
      // passes then, and the file's SHA-256 (recorded in the purge record) is what tells
      assertThat(verify(flipped).expecting(verify(good).sha256()).ok()).as("compressed byte flipped in [%d, %d)", from, to).isFalse();
      List<byte[]> lines = lines(good);
      int index = random.nextInt(lines.size());
      byte[] line = lines.get(index).clone();
      String text = new String(line, StandardCharsets.UTF_8);
      int at;
      do {
        at = random.nextInt(line.length);
      } while (index == 0 && at >= text.indexOf("\"created_at\"") && at < text.length() - 1);
      line[at] ^= (byte) (1 + random.nextInt(127));
      int changed = index;
      byte[] damaged = rewrite(good, l -> l.set(changed, line));
      ArchiveVerifier.Result r = verify(damaged);
      assertThat(r.ok()).as("line %d byte %d changed in [%d, %d): %s", index + 1, at, from, to, new String(line, StandardCharsets.UTF_8)).isFalse();
    }
  }

  @Test
  void aRangeBeyondTheCheckpointCannotBeArchived() {
    assertThatThrownBy(() -> archive(30, SIZE + 1)).hasMessageContaining("tree_size 37 does not cover to_seq 38");
  }

  /**
   * Below the purge horizon an earlier purge kept only some entries (the access trail): their neighbours go into the
   * archive as leaf hashes, and the archive still proves every seq of its range. FileJournal's purge is built on
   * another branch, so the purge state is laid over the real journal here ({@link PurgedView}).
   */
  @Test
  void seqsPurgedEarlierAreArchivedAsTheirLeafHashes() throws IOException {
    PurgedView purged = new PurgedView(journal, 20, java.util.Set.of(3L, 4L, 11L));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ArchiveWriter.write(out, purged, "acme", 2, 30, checkpoint, tree, Instant.parse("2026-12-07T10:00:00Z"));
    ArchiveVerifier.Result r = verify(out.toByteArray());
    assertThat(r.ok()).as(r.line()).isTrue();
    assertThat(r.line()).isEqualTo("archive of acme seqs [2, 30): OK — 13 entries and 15 seqs purged before (leaf hashes only), "
        + "proven against the signed checkpoint of tree size 37; file SHA-256 " + r.sha256());
    List<byte[]> lines = lines(out.toByteArray());
    assertThat(new String(lines.get(1), StandardCharsets.UTF_8)).isEqualTo("{\"leaf\":\"" + tree.leafHash(2).base64() + "\"}");
    assertThat(lines.get(2)).isEqualTo(journal.read("acme", 3, 4).getFirst().canonical());
    // a leaf line with another hash is caught: by the next entry's prev_hash, or by the root
    String wrong = tree.leafHash(0).base64();
    assertThat(verify(rewrite(out.toByteArray(), l -> replaceIn(l, 9, tree.leafHash(10).base64(), wrong))).failure())
        .contains("line 11: seq 10 or seq 11 was altered: the hash of seq 10 does not match the prev_hash recorded in seq 11");
    assertThat(verify(rewrite(out.toByteArray(), l -> replaceIn(l, 4, tree.leafHash(5).base64(), wrong))).failure())
        .contains("give root hash");
    assertThat(verify(rewrite(out.toByteArray(), l -> replaceIn(l, l.size() - 1, "\"entries\":13", "\"entries\":14"))).failure())
        .contains("it says 14 whole entries but the archive holds 13");
  }

  @Test
  void aFileOnDiskVerifies() throws IOException {
    Path file = dir.resolve(ArchiveFormat.fileName(0, 10));
    Files.write(file, archive(0, 10));
    assertThat(file.getFileName().toString()).isEqualTo("00000000000000000000-00000000000000000010.tbarchive.zst");
    assertThat(ArchiveVerifier.verify(file, key.verifier()).ok()).isTrue();
    String sha = ArchiveVerifier.verify(file, key.verifier()).sha256();
    assertThat(ArchiveVerifier.verify(file, key.verifier()).expecting(sha.toUpperCase(java.util.Locale.ROOT)).ok()).isTrue();
    assertThat(ArchiveVerifier.verify(file, key.verifier()).expecting("00" + sha.substring(2)).failure())
        .isEqualTo("the file's SHA-256 is " + sha + ", not the expected 00" + sha.substring(2)
            + " (its content verifies, but these are not the bytes that were recorded)");
    assertThat(ArchiveVerifier.verify(dir.resolve("missing"), key.verifier()).failure()).startsWith("cannot read");
  }

  // ------------------------------------------------------------------ helpers

  /** The journal as a purge up to {@code horizon} keeping {@code kept} leaves it: reads hide the rest, leaf hashes stay. */
  static final class PurgedView implements org.trailbook.journal.EventStore {
    private final FileJournal store;
    private final long horizon;
    private final java.util.Set<Long> kept;

    PurgedView(FileJournal store, long horizon, java.util.Set<Long> kept) {
      this.store = store;
      this.horizon = horizon;
      this.kept = kept;
    }

    @Override
    public List<Entry> read(String ws, long from, long to) {
      return store.read(ws, from, to).stream().filter(e -> e.seq() >= horizon || kept.contains(e.seq())).toList();
    }

    @Override
    public long purgedBefore(String ws) {
      return horizon;
    }

    @Override
    public byte[] purgedLeaves(String ws, long from, long to) {
      byte[] out = new byte[(int) (to - from) * Hash.SIZE];
      for (long seq = from; seq < to; seq++) tree.leafHash(seq).copyTo(out, (int) (seq - from) * Hash.SIZE);
      return out;
    }

    @Override
    public long size(String ws) {
      return store.size(ws);
    }

    @Override
    public java.util.concurrent.CompletableFuture<List<org.trailbook.journal.AppendResult>> append(String ws, List<PendingEntry> entries) {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.util.Optional<Entry> findById(String ws, String id) {
      throw new UnsupportedOperationException();
    }

    @Override
    public org.trailbook.journal.Purge purge(String ws, long toSeq, long[] keep, String reason) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<org.trailbook.journal.Purge> purges(String ws) {
      return List.of();
    }

    @Override
    public java.util.Set<String> workspaces() {
      return store.workspaces();
    }

    @Override
    public org.trailbook.health.PartHealth health() {
      return store.health();
    }

    @Override
    public int pendingEvents() {
      return 0;
    }

    @Override
    public void observe(org.trailbook.journal.GroupCommitObserver observer) {
      throw new UnsupportedOperationException();
    }

    @Override
    public org.trailbook.journal.FeedChanges changesSince(long cursor) {
      return store.changesSince(cursor);
    }

    @Override
    public boolean awaitChange(long cursor, java.time.Duration timeout) throws InterruptedException {
      return store.awaitChange(cursor, timeout);
    }

    @Override
    public void close() {
      // the journal is the test's
    }
  }

  interface LinesEdit {
    void apply(List<byte[]> lines) throws IOException;
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<byte[]> lines(byte[] archive) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(archive))) {
      ArchiveVerifier.LineReader reader = new ArchiveVerifier.LineReader(in);
      byte[] line;
      while ((line = reader.next()) != null) out.add(line);
    }
    return out;
  }

  /** Decompresses, edits the lines, compresses again (a valid zstd frame: only the content is damaged). */
  static byte[] rewrite(byte[] archive, LinesEdit edit) throws IOException {
    List<byte[]> lines = lines(archive);
    edit.apply(lines);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZstdOutputStream z = new ZstdOutputStream(out)) {
      z.setChecksum(true);
      for (byte[] l : lines) {
        z.write(l);
        z.write('\n');
      }
    }
    return out.toByteArray();
  }

  static void replaceIn(List<byte[]> lines, int index, String from, String to) {
    String text = new String(lines.get(index), StandardCharsets.UTF_8);
    assertThat(text).contains(from);
    lines.set(index, text.replace(from, to).getBytes(StandardCharsets.UTF_8));
  }
}
