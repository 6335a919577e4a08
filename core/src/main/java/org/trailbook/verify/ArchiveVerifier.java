package org.trailbook.verify;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.trailbook.archive.ArchiveFormat;
import org.trailbook.checkpoint.NoteVerifier;

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
    ArchiveCheck check = new ArchiveCheck(key, sink);
    java.security.MessageDigest sha256 = sha256();
    InputStream hashed = new java.security.DigestInputStream(compressed, sha256) {
      @Override
      public void close() {
        // the caller's stream: the caller closes it
      }
    };
    try (ZstdInputStream zstd = new ZstdInputStream(new BufferedInputStream(hashed, 1 << 16))) {
      zstd.setContinuous(false);
      check.run(new ArchiveLineReader(zstd));
    } catch (IOException e) {
      check.record("the compressed data is damaged or truncated after line " + check.lineNo() + " (zstd: " + e.getMessage() + ")");
    } catch (ArchiveCheck.Failed e) {
      // the failure is recorded
    }
    try {
      hashed.transferTo(java.io.OutputStream.nullOutputStream()); // the hash covers every byte, read by zstd or not
    } catch (IOException e) {
      check.record("cannot read the archive to its end: " + e.getMessage());
    }
    return check.result(java.util.HexFormat.of().formatHex(sha256.digest()));
  }

  private static java.security.MessageDigest sha256() {
    try {
      return java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

}
