package org.trailbook.archive;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.SignedNote;
import org.trailbook.journal.Entry;
import org.trailbook.journal.EventStore;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.NodeId;
import org.trailbook.merkle.NodeReader;

/**
 * Writes the archive of a workspace's entries {@code [fromSeq, toSeq)} (see {@link ArchiveFormat}): reads them from the
 * store in chunks and compresses as it goes, so memory stays constant for any range. A seq below the purge horizon
 * whose entry is gone (an earlier purge kept only some entries there) is written as its leaf hash from the store's
 * purged leaves. The zstd frame carries its content checksum, so damaged compressed bytes are found while
 * decompressing, before any line is trusted.
 */
public final class ArchiveWriter {
  private static final int CHUNK = 1000;
  /** zstd's default level: about 4–8× on log entries at hundreds of MB/s; an archive is written once, read rarely. */
  private static final int LEVEL = 3;

  private ArchiveWriter() {}

  /**
   * Writes the archive to {@code out} (closed at the end). {@code signedCheckpoint} must cover {@code toSeq}; {@code
   * nodes} gives the tree's complete nodes outside the range (the compact ranges of {@code [0, fromSeq)} and {@code
   * [toSeq, treeSize)}), at the checkpoint's size.
   *
   * @throws IllegalArgumentException if the checkpoint does not cover the range
   * @throws IllegalStateException if an entry at or above the purge horizon is not stored (the log changed under it)
   */
  public static void write(OutputStream out, EventStore store, String workspace, long fromSeq, long toSeq, String signedCheckpoint,
      NodeReader nodes, Instant createdAt) {
    long treeSize = Checkpoint.parse(SignedNote.parse(signedCheckpoint).text()).treeSize();
    long horizon = store.purgedBefore(workspace);
    ArchiveFormat.Header header = new ArchiveFormat.Header(workspace, fromSeq, toSeq, toSeq - fromSeq, treeSize, createdAt);
    List<CompactRange.Node> left = read(nodes, 0, fromSeq);
    List<CompactRange.Node> right = read(nodes, toSeq, treeSize);
    try (ZstdOutputStream zstd = new ZstdOutputStream(out, LEVEL)) {
      zstd.setChecksum(true);
      line(zstd, header.toLine());
      long written = 0;
      for (long from = fromSeq; from < toSeq; from += CHUNK) {
        long to = Math.min(toSeq, from + CHUNK);
        List<Entry> chunk = store.read(workspace, from, to);
        byte[] leaves = from < horizon ? store.purgedLeaves(workspace, from, Math.min(to, horizon)) : null;
        int next = 0;
        for (long seq = from; seq < to; seq++) {
          if (next < chunk.size() && chunk.get(next).seq() == seq) {
            line(zstd, chunk.get(next++).canonical());
            written++;
          } else if (seq < horizon) {
            line(zstd, ArchiveFormat.leafLine(Hash.of(java.util.Arrays.copyOfRange(leaves, (int) (seq - from) * Hash.SIZE, (int) (seq - from + 1) * Hash.SIZE))));
          } else {
            throw new IllegalStateException("entry seq " + seq + " of workspace '" + workspace + "' is not stored, yet it is above the purge horizon " + horizon);
          }
        }
        if (next != chunk.size()) throw new IllegalStateException("the store answered seqs out of order for [" + from + ", " + to + ")");
      }
      line(zstd, new ArchiveFormat.Trailer(written, signedCheckpoint, treeSize, left, right).toLine());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the archive of " + workspace + " [" + fromSeq + ", " + toSeq + ")", e);
    }
  }

  private static List<CompactRange.Node> read(NodeReader nodes, long begin, long end) {
    List<CompactRange.Node> out = new ArrayList<>();
    for (NodeId id : CompactRange.nodes(begin, end)) out.add(new CompactRange.Node(id, nodes.node(id.level(), id.index())));
    return out;
  }

  private static void line(OutputStream out, byte[] line) throws IOException {
    out.write(line);
    out.write('\n');
  }
}
