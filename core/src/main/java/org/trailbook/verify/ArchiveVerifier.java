package org.trailbook.verify;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.trailbook.archive.ArchiveFormat;
import org.trailbook.archive.CompactRange;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.CheckpointException;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.checkpoint.WrongKeyException;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.NodeId;
import org.trailbook.merkle.TreeHasher;
import tools.jackson.core.JacksonException;

/**
 * Checks an archive file ({@link ArchiveFormat}) with nothing but the log's verifier key, streaming: the zstd frame
 * (with its checksum), the header, each entry's seq, workspace and {@code prev_hash} link, then the trailer's
 * checkpoint signature and origin, and finally that the entries' leaf hashes with the trailer's left and right compact
 * ranges give exactly the checkpoint's root hash. Memory is O(log n) plus one line, whatever the archive's size.
 */
public final class ArchiveVerifier {
  /** Longest line read: far above any entry the server accepts, low enough that a hostile file cannot exhaust memory. */
  static final int MAX_LINE = 64 << 20;

  /**
   * The outcome: what the archive says it holds, how many whole entries were checked, how many seqs had only their leaf
   * hash (purged before the archive was written), and the first failure (null: OK).
   */
  public record Result(String workspace, long fromSeq, long toSeq, long treeSize, long entriesChecked, long leavesOnly, String sha256, String failure) {
    public boolean ok() {
      return failure == null;
    }

    /**
     * This result, failed if the file's SHA-256 is not {@code expected} (hex; the one the purge record names). The
     * signature proves the content; zstd frames also have bits that do not change it (window size, block headers), so
     * only the hash of the bytes says the file is the very one that was written.
     */
    public Result expecting(String expected) {
      if (failure != null || expected == null || expected.equalsIgnoreCase(sha256)) return this;
      return new Result(workspace, fromSeq, toSeq, treeSize, entriesChecked, leavesOnly, sha256,
          "the file's SHA-256 is " + sha256 + ", not the expected " + expected + " (its content verifies, but these are not the bytes that were recorded)");
    }

    /** One line for a person: the archive's workspace and range, then OK with the numbers or FAILED with what and where. */
    public String line() {
      String what = workspace == null ? "archive" : "archive of " + workspace + " seqs [" + fromSeq + ", " + toSeq + ")";
      if (ok()) {
        return what + ": OK — " + entriesChecked + " entries" + (leavesOnly == 0 ? "" : " and " + leavesOnly + " seqs purged before (leaf hashes only)")
            + ", proven against the signed checkpoint of tree size " + treeSize + "; file SHA-256 " + sha256;
      }
      return what + ": FAILED — " + failure;
    }
  }

  private ArchiveVerifier() {}

  public static Result verify(Path file, NoteVerifier key) {
    try (InputStream in = Files.newInputStream(file)) {
      return verify(in, key);
    } catch (IOException e) {
      return new Result(null, -1, -1, -1, 0, 0, null, "cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Receives each entry line once its seq, workspace and chain link are checked; the whole archive is judged only at the end. */
  @FunctionalInterface
  public interface EntrySink {
    void accept(long seq, byte[] canonical) throws IOException;
  }

  /** Verifies the archive read from {@code compressed} (read to its end, not closed), and hashes its bytes. */
  public static Result verify(InputStream compressed, NoteVerifier key) {
    return verify(compressed, key, (seq, canonical) -> {});
  }

  /**
   * Verifies as {@link #verify(InputStream, NoteVerifier)} and hands every entry to {@code sink} on the way (a restore
   * copies them in the same pass); what the sink got may be used only if the result is OK.
   */
  public static Result verify(InputStream compressed, NoteVerifier key, EntrySink sink) {
    Check check = new Check(key, sink);
    java.security.MessageDigest sha256 = sha256();
    InputStream hashed = new java.security.DigestInputStream(compressed, sha256) {
      @Override
      public void close() {
        // the caller's stream: the caller closes it
      }
    };
    try (ZstdInputStream zstd = new ZstdInputStream(new BufferedInputStream(hashed, 1 << 16))) {
      zstd.setContinuous(false);
      check.run(new LineReader(zstd));
    } catch (IOException e) {
      check.record("the compressed data is damaged or truncated after line " + check.lineNo + " (zstd: " + e.getMessage() + ")");
    } catch (Failed e) {
      // the failure is recorded
    }
    try {
      hashed.transferTo(java.io.OutputStream.nullOutputStream()); // the hash covers every byte, read by zstd or not
    } catch (IOException e) {
      check.record("cannot read the archive to its end: " + e.getMessage());
    }
    return check.result(java.util.HexFormat.of().formatHex(sha256.digest()));
  }

  /** One verification's state. */
  private static final class Check {
    private final NoteVerifier key;
    private final EntrySink sink;
    private final TreeHasher hasher = new TreeHasher();
    private ArchiveFormat.Header header;
    private long lineNo;
    private long checked;
    private long leavesOnly;
    private Hash previousLeaf;
    /** The seq whose prev_hash did not match, waiting for the next line to tell which entry changed; -1 if none. */
    private long brokenAt = -1;
    private long brokenLine;
    private String failure;

    Check(NoteVerifier key, EntrySink sink) {
      this.key = key;
      this.sink = sink;
    }

    void run(LineReader lines) throws IOException {
      byte[] first = next(lines);
      if (first == null) fail("the archive is empty");
      try {
        header = ArchiveFormat.Header.parse(first);
      } catch (IllegalArgumentException e) {
        fail("line 1: " + e.getMessage());
      }
      CompactRange middle = new CompactRange(header.fromSeq());
      for (long seq = header.fromSeq(); seq < header.toSeq(); seq++) {
        byte[] line = next(lines);
        if (line == null) fail("the archive ends after " + (seq - header.fromSeq()) + " of its " + header.count() + " seqs, with no trailer (truncated)");
        if (ArchiveFormat.Trailer.is(line)) {
          fail("line " + lineNo + ": the trailer comes after " + (seq - header.fromSeq()) + " seqs but the header promises " + header.count()
              + ": seq " + seq + " and later are missing (lines were removed)");
        }
        middle.appendLeaf(leafOfLine(seq, line));
      }
      if (brokenAt >= 0) resolveBrokenLink(null);
      byte[] last = next(lines);
      if (last == null) fail("the archive ends after its " + header.count() + " seqs, with no trailer (truncated)");
      if (!ArchiveFormat.Trailer.is(last)) {
        fail("line " + lineNo + ": expected the trailer after " + header.count() + " seqs, found another line (a line was inserted)");
      }
      ArchiveFormat.Trailer trailer;
      try {
        trailer = ArchiveFormat.Trailer.parse(last);
      } catch (IllegalArgumentException e) {
        fail("line " + lineNo + " (trailer): " + e.getMessage());
        return;
      }
      if (trailer.entries() != checked) {
        fail("line " + lineNo + " (trailer): it says " + trailer.entries() + " whole entries but the archive holds " + checked);
      }
      Checkpoint checkpoint = checkpoint(trailer);
      checkNodes("left", trailer.left(), CompactRange.nodes(0, header.fromSeq()));
      checkNodes("right", trailer.right(), CompactRange.nodes(header.toSeq(), checkpoint.treeSize()));
      CompactRange whole = new CompactRange(0);
      for (CompactRange.Node n : trailer.left()) whole.push(n.id(), n.hash());
      for (CompactRange.Node n : middle.nodes()) whole.push(n.id(), n.hash());
      for (CompactRange.Node n : trailer.right()) whole.push(n.id(), n.hash());
      Hash root = whole.root();
      if (!root.equals(checkpoint.rootHash())) {
        fail("the entries and the trailer's nodes give root hash " + root.base64() + ", but the signed checkpoint of tree size "
            + checkpoint.treeSize() + " has " + checkpoint.rootHash().base64() + ": an entry (possibly the last, seq " + (header.toSeq() - 1)
            + ") or a node hash of the trailer was altered");
      }
      if (lines.next() != null) fail("line " + (lineNo + 1) + ": there is data after the trailer");
    }

    /** Checks one line of the range (an entry, or a leaf line) and returns its leaf hash. */
    private Hash leafOfLine(long seq, byte[] line) {
      Hash given;
      try {
        given = ArchiveFormat.leafOf(line);
      } catch (IllegalArgumentException e) {
        fail("line " + lineNo + " (seq " + seq + "): " + e.getMessage());
        return null;
      }
      if (given != null) { // purged before the archive was written: only its leaf hash, proven by the root like the rest
        if (brokenAt >= 0) resolveBrokenLink(null);
        previousLeaf = given;
        leavesOnly++;
        return given;
      }
      EntryFields fields;
      try {
        fields = EntryFields.of(line);
      } catch (JacksonException | IllegalArgumentException e) {
        fail("line " + lineNo + " (seq " + seq + "): not a valid log entry: " + e.getMessage());
        return null;
      }
      if (fields.seq() != seq) {
        fail("line " + lineNo + ": expected seq " + seq + " but found seq " + fields.seq()
            + (fields.seq() > seq ? " (seq " + seq + " was removed, or lines reordered)" : " (a line was duplicated or lines reordered)"));
      }
      if (!header.workspace().equals(fields.workspace())) {
        fail("line " + lineNo + " (seq " + seq + "): the entry says workspace '" + fields.workspace() + "', the archive is of '" + header.workspace() + "'");
      }
      boolean linkHolds = previousLeaf == null || previousLeaf.hex().equals(fields.prevHash());
      if (brokenAt >= 0) resolveBrokenLink(linkHolds);
      if (!linkHolds) {
        brokenAt = seq; // which of the two changed shows at the next link
        brokenLine = lineNo;
      }
      Hash leaf = hasher.leafHash(line);
      try {
        sink.accept(seq, line);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot keep entry seq " + seq + ": " + e.getMessage(), e); // not the archive's fault
      }
      previousLeaf = leaf;
      checked++;
      return leaf;
    }

    /**
     * The prev_hash of seq {@code brokenAt} did not match the line before. If the next link holds, {@code brokenAt} is
     * intact and the line before it changed; if it fails too, {@code brokenAt} itself changed; with no next link to
     * look at (the range ends, or a leaf line follows) either may have.
     */
    private void resolveBrokenLink(Boolean nextLinkHolds) {
      long b = brokenAt;
      if (nextLinkHolds == null) {
        fail("line " + brokenLine + ": seq " + (b - 1) + " or seq " + b + " was altered: the hash of seq " + (b - 1)
            + " does not match the prev_hash recorded in seq " + b);
      } else if (nextLinkHolds) {
        fail("line " + (brokenLine - 1) + ": seq " + (b - 1) + " was altered: its hash no longer matches the prev_hash recorded in seq " + b);
      } else {
        fail("line " + brokenLine + ": seq " + b + " was altered: its prev_hash does not match the hash of seq " + (b - 1)
            + ", and its own hash does not match the prev_hash recorded in seq " + (b + 1));
      }
    }

    private Checkpoint checkpoint(ArchiveFormat.Trailer trailer) {
      String origin = key.name() + "/" + header.workspace();
      Checkpoint c;
      try {
        c = key.verifyCheckpoint(trailer.checkpoint(), origin);
      } catch (WrongKeyException e) {
        fail("the checkpoint is " + e.getMessage() + " (if that is the verifier key of this log, the checkpoint was forged)");
        return null;
      } catch (CheckpointException e) {
        fail("the checkpoint is forged or altered: " + e.getMessage());
        return null;
      }
      if (c.treeSize() != trailer.treeSize() || c.treeSize() != header.treeSize()) {
        fail("the signed checkpoint is of tree size " + c.treeSize() + " but the trailer says " + trailer.treeSize() + " and the header "
            + header.treeSize());
      }
      return c;
    }

    private void checkNodes(String side, List<CompactRange.Node> given, List<NodeId> expected) {
      List<NodeId> ids = given.stream().map(CompactRange.Node::id).toList();
      if (!ids.equals(expected)) {
        fail("the trailer's " + side + " nodes " + ids + " are not the compact range " + expected + " that the range and tree size call for");
      }
    }

    private byte[] next(LineReader lines) throws IOException {
      byte[] line = lines.next();
      if (line != null) lineNo++;
      return line;
    }

    void fail(String message) {
      record(message);
      throw new Failed();
    }

    /** Records the first failure only. */
    void record(String message) {
      if (failure == null) failure = message;
    }

    Result result(String sha256) {
      if (header == null) return new Result(null, -1, -1, -1, checked, leavesOnly, sha256, failure);
      return new Result(header.workspace(), header.fromSeq(), header.toSeq(), header.treeSize(), checked, leavesOnly, sha256, failure);
    }
  }

  private static java.security.MessageDigest sha256() {
    try {
      return java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  /** Ends a check at its first failure (recorded before it is thrown). */
  private static final class Failed extends RuntimeException {
    Failed() {
      super(null, null, false, false);
    }
  }

  /** Reads lines ending in {@code '\n'} as bytes, exactly (a final line without one is returned too). */
  static final class LineReader {
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;

    LineReader(InputStream in) {
      this.in = in;
    }

    /** The next line without its {@code '\n'}, or null at the end. */
    byte[] next() throws IOException {
      java.io.ByteArrayOutputStream line = null;
      while (true) {
        if (position == limit) {
          limit = in.read(buffer, 0, buffer.length);
          position = 0;
          if (limit <= 0) {
            limit = 0;
            return line == null ? null : line.toByteArray();
          }
        }
        int start = position;
        while (position < limit && buffer[position] != '\n') position++;
        if (line == null) line = new java.io.ByteArrayOutputStream(Math.max(256, position - start));
        line.write(buffer, start, position - start);
        if (line.size() > MAX_LINE) throw new IOException("a line is longer than " + MAX_LINE + " bytes");
        if (position < limit) {
          position++; // the '\n'
          return line.toByteArray();
        }
      }
    }
  }
}
