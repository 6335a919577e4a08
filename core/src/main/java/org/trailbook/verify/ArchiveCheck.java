package org.trailbook.verify;

import java.io.IOException;
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

/** One {@link ArchiveVerifier} run's state: the lines read so far, the chain, the compact range, the first failure. */
final class ArchiveCheck {
  private final NoteVerifier key;
  private final ArchiveVerifier.EntrySink sink;
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

  ArchiveCheck(NoteVerifier key, ArchiveVerifier.EntrySink sink) {
    this.key = key;
    this.sink = sink;
  }

  void run(ArchiveLineReader lines) throws IOException {
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

  private byte[] next(ArchiveLineReader lines) throws IOException {
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

  ArchiveVerifier.Result result(String sha256) {
    if (header == null) return new ArchiveVerifier.Result(null, -1, -1, -1, checked, leavesOnly, sha256, failure);
    return new ArchiveVerifier.Result(header.workspace(), header.fromSeq(), header.toSeq(), header.treeSize(), checked, leavesOnly, sha256, failure);
  }

  long lineNo() {
    return lineNo;
  }

  /** Ends a check at its first failure (recorded before it is thrown). */
  static final class Failed extends RuntimeException {
    Failed() {
      super(null, null, false, false);
    }
  }
}
