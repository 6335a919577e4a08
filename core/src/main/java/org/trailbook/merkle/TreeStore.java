package org.trailbook.merkle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.LoggerFactory;
import org.trailbook.FileFormat;
import org.trailbook.InvalidInputException;

/**
 * Every complete node hash of one log's Merkle tree, on disk under one directory: file
 * {@code level-LL} holds the nodes of level L, 32 bytes each, node i at offset {@code 32 * i} (so a
 * C2SP tlog-tiles tile at tile-level l, index n is nodes {@code 256n..256n+255} of level {@code 8l}).
 *
 * <p>One writer thread appends leaves; any number of reader threads build roots and proofs for sizes
 * up to {@link #size()}, which is published only after the nodes it needs are written. Appends are
 * not fsynced: the tree is derived from the journal. {@link #sync()} makes it durable and records the
 * synced size in the file {@code synced}. On open, torn partial nodes are cut, nodes above level 0
 * that the leaves do not support are dropped, and every interior node over leaves written after the
 * last sync is recomputed from the level below. Level 0 is trusted as far as it holds whole nodes; a
 * level 0 shorter than the synced size is refused.
 *
 * <p>Every file starts with a {@link FileFormat} header ({@code trailbook.tree.level} or {@code
 * trailbook.tree.synced}, version 1), written when the file is created; node i of a level is then at
 * {@code header + 32 * i}. A file without one is version 0 (written before headers existed): its
 * nodes start at byte 0 and, the node layout being the same, it is read and appended to in place. A
 * newer version is refused; a damaged header refuses the open, unless the file is shorter than a
 * header (a level created but never synced: it holds no node and gets a fresh header).
 */
public final class TreeStore implements NodeReader, AutoCloseable {
  private static final int MAX_LEVELS = 63;
  private static final int CHUNK = 8192;
  private static final String SYNCED = "synced";
  static final FileFormat LEVEL_FORMAT = new FileFormat("trailbook.tree.level", 1);
  static final FileFormat SYNCED_FORMAT = new FileFormat("trailbook.tree.synced", 1);

  private record Head(long size, Hash root) {}

  private final Path dir;
  private final LevelFile[] levels = new LevelFile[MAX_LEVELS];
  private final MerkleRoots roots;
  private volatile Head head;
  private volatile boolean closed;
  private boolean broken;
  private boolean newFiles;

  private TreeStore(Path dir, MerkleRoots roots) {
    this.dir = dir;
    this.roots = roots;
    this.head = new Head(roots.size(), roots.root());
  }

  /** Opens (creating if needed) the store in {@code dir}, recovering from a crash as described above. */
  public static TreeStore open(Path dir) {
    try {
      org.trailbook.OwnerOnly.directories(dir);
      return recover(dir);
    } catch (IOException e) {
      throw new TreeStoreException("cannot open tree store in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static TreeStore recover(Path dir) throws IOException {
    long synced = readSynced(dir);
    LevelFile[] opened = new LevelFile[MAX_LEVELS];
    long leaves = 0;
    try {
      Path leafPath = dir.resolve(fileName(0));
      if (Files.exists(leafPath)) {
        opened[0] = new LevelFile(0, leafPath);
        leaves = opened[0].nodes();
        opened[0].truncate(leaves);
      }
      if (synced > leaves) {
        throw new TreeStoreException("level 0 in " + dir + " holds " + leaves + " leaves but " + synced
            + " were synced: refusing to trust it");
      }
      for (int level = 1; level < MAX_LEVELS; level++) {
        Path path = dir.resolve(fileName(level));
        long expected = leaves >>> level;
        if (expected == 0) {
          if (Files.exists(path)) Files.delete(path);
          continue;
        }
        LevelFile current = opened[level] = new LevelFile(level, path);
        long trusted = Math.min(current.nodes(), synced >>> level);
        current.truncate(trusted);
        rebuild(opened[level - 1], current, trusted, expected);
      }
      List<Hash> border = new ArrayList<>();
      for (int level = 62; level >= 0; level--) {
        if ((leaves >>> level & 1) == 1) border.add(opened[level].read((leaves >>> level) - 1));
      }
      TreeStore store = new TreeStore(dir, new MerkleRoots(leaves, border));
      System.arraycopy(opened, 0, store.levels, 0, MAX_LEVELS);
      return store;
    } catch (IOException | RuntimeException e) {
      for (LevelFile level : opened) if (level != null) level.close();
      throw e;
    }
  }

  /** Recomputes nodes {@code [from, to)} of {@code upper} from {@code lower}, appending them. */
  private static void rebuild(LevelFile lower, LevelFile upper, long from, long to) throws IOException {
    TreeHasher hasher = new TreeHasher();
    for (long start = from; start < to; start += CHUNK) {
      int count = (int) Math.min(CHUNK, to - start);
      ByteBuffer children = ByteBuffer.allocate(2 * count * Hash.SIZE);
      lower.readFully(children, 2 * start * Hash.SIZE);
      byte[] parents = new byte[count * Hash.SIZE];
      for (int i = 0; i < count; i++) {
        byte[] left = new byte[Hash.SIZE];
        byte[] right = new byte[Hash.SIZE];
        children.get(2 * i * Hash.SIZE, left).get((2 * i + 1) * Hash.SIZE, right);
        hasher.nodeHash(Hash.wrap(left), Hash.wrap(right)).copyTo(parents, i * Hash.SIZE);
      }
      upper.writeFully(ByteBuffer.wrap(parents), start * Hash.SIZE);
    }
  }

  /** The number of leaves whose nodes are all written: every read below is valid up to this size. */
  public long size() {
    return head.size();
  }

  /** The root at {@link #size()}, kept in memory: no reads. */
  public Hash root() {
    return head.root();
  }

  /** {@code MTH(D[0:treeSize])} with O(log n) reads. */
  public Hash rootAt(long treeSize) {
    Head h = checkTreeSize(treeSize);
    return treeSize == h.size() ? h.root() : ProofBuilder.root(this, treeSize);
  }

  public InclusionProof inclusionProof(long leafIndex, long treeSize) {
    checkTreeSize(treeSize);
    return ProofBuilder.inclusionProof(this, leafIndex, treeSize);
  }

  public ConsistencyProof consistencyProof(long fromSize, long toSize) {
    checkTreeSize(toSize);
    return ProofBuilder.consistencyProof(this, fromSize, toSize);
  }

  public Hash leafHash(long leafIndex) {
    ProofBuilder.checkLeafIndex(leafIndex, size());
    return node(0, leafIndex);
  }

  /** The stored node at {@code level}, {@code index}; it must be complete within {@link #size()}. */
  @Override
  public Hash node(int level, long index) {
    checkNodes(level, index, 1);
    return levels[level].readShared(index);
  }

  /**
   * {@code count} consecutive nodes of {@code level} from {@code index}, concatenated: for example a
   * tlog-tiles tile. All must be complete within {@link #size()}.
   */
  public byte[] nodes(int level, long index, int count) {
    checkNodes(level, index, count);
    ByteBuffer buffer = ByteBuffer.allocate(count * Hash.SIZE);
    levels[level].readShared(buffer, index * Hash.SIZE);
    return buffer.array();
  }

  /**
   * Appends leaves and every interior node they complete, then publishes the new size. Not fsynced.
   * For the single writer thread; after an I/O failure the store refuses further appends until reopened.
   */
  public synchronized void append(List<Hash> leafHashes) {
    checkWritable();
    for (int start = 0; start < leafHashes.size(); start += CHUNK) {
      List<Hash> chunk = leafHashes.subList(start, Math.min(leafHashes.size(), start + CHUNK));
      ByteArrayOutputStream[] buffers = new ByteArrayOutputStream[MAX_LEVELS];
      long[] firstIndex = new long[MAX_LEVELS];
      for (Hash leaf : chunk) {
        roots.append(leaf, (level, index, hash) -> {
          if (buffers[level] == null) {
            buffers[level] = new ByteArrayOutputStream();
            firstIndex[level] = index;
          }
          buffers[level].writeBytes(hash.bytesUnsafe());
        });
      }
      try {
        for (int level = 0; level < MAX_LEVELS && buffers[level] != null; level++) {
          if (levels[level] == null) {
            levels[level] = new LevelFile(level, dir.resolve(fileName(level)));
            newFiles = true;
          }
          levels[level].writeFully(ByteBuffer.wrap(buffers[level].toByteArray()), firstIndex[level] * Hash.SIZE);
        }
      } catch (IOException e) {
        broken = true;
        throw new TreeStoreException("cannot append to tree store in " + dir + " at size " + size() + ": " + e.getMessage(), e);
      }
      head = new Head(roots.size(), roots.root());
    }
  }

  /** Forces every level file to disk, then records the synced size, so reopening need not recompute. */
  public synchronized void sync() {
    checkWritable();
    long size = size();
    try {
      for (LevelFile level : levels) if (level != null) level.channel.force(true);
      if (newFiles) {
        forceDirectory(dir);
        newFiles = false;
      }
      writeSynced(dir, size);
    } catch (IOException e) {
      broken = true;
      throw new TreeStoreException("cannot sync tree store in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Syncs (unless an append failed) and closes every file. */
  @Override
  public synchronized void close() {
    if (closed) return;
    try {
      if (!broken) sync();
    } finally {
      closed = true;
      for (LevelFile level : levels) if (level != null) level.close();
    }
  }

  private void checkWritable() {
    if (closed) throw new TreeStoreException("tree store in " + dir + " is closed");
    if (broken) throw new TreeStoreException("tree store in " + dir + " failed an earlier write: reopen it");
  }

  private Head checkTreeSize(long treeSize) {
    Head h = head;
    if (treeSize < 0 || treeSize > h.size()) {
      throw new InvalidInputException("out_of_range", "treeSize " + treeSize + " out of bounds for log size " + h.size());
    }
    return h;
  }

  private void checkNodes(int level, long index, int count) {
    long size = size();
    if (level < 0 || level >= MAX_LEVELS || index < 0 || count < 0 || index + count > size >>> level) {
      throw new InvalidInputException("out_of_range", "nodes [" + index + ", " + (index + count) + ") at level " + level
          + " out of bounds for treeSize " + size);
    }
    if (closed) throw new TreeStoreException("tree store in " + dir + " is closed");
  }

  private static String fileName(int level) {
    return String.format("level-%02d", level);
  }

  /** The synced size, or 0 when the marker is missing or damaged (then everything above level 0 is recomputed). */
  private static long readSynced(Path dir) throws IOException {
    Path path = dir.resolve(SYNCED);
    if (!Files.exists(path)) return 0;
    byte[] all = Files.readAllBytes(path);
    int start = switch (SYNCED_FORMAT.probe(path, all, all.length)) {
      case FileFormat.Headed h -> h.length();
      case FileFormat.Headerless h -> 0;
      case FileFormat.Damaged d -> {
        LoggerFactory.getLogger(TreeStore.class).warn("tree store {}: {} is damaged ({}); recomputing every interior node", dir, path, d.problem());
        yield -1;
      }
    };
    if (start < 0 || all.length - start != 12) return 0;
    byte[] bytes = java.util.Arrays.copyOfRange(all, start, all.length);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, 8);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long size = buffer.getLong();
    return (int) crc.getValue() == buffer.getInt() && size >= 0 ? size : 0;
  }

  private static void writeSynced(Path dir, long size) throws IOException {
    byte[] header = SYNCED_FORMAT.header();
    ByteBuffer buffer = ByteBuffer.allocate(header.length + 12).put(header).putLong(size);
    CRC32C crc = new CRC32C();
    crc.update(buffer.array(), header.length, 8);
    buffer.putInt((int) crc.getValue()).flip();
    try (FileChannel channel = org.trailbook.OwnerOnly.open(dir.resolve(SYNCED), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      while (buffer.hasRemaining()) channel.write(buffer, buffer.position());
      channel.force(true);
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; the level files themselves are forced.
    }
  }
}
