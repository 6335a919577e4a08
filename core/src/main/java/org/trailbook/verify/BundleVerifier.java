package org.trailbook.verify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.trailbook.Json;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.CheckpointException;
import org.trailbook.checkpoint.WrongKeyException;
import org.trailbook.checkpoint.CheckpointReader;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.InclusionProof;
import org.trailbook.merkle.ProofException;
import org.trailbook.merkle.ProofVerifier;
import org.trailbook.merkle.TreeHasher;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Checks a verification bundle with nothing but the log's public key: the checkpoint's signature
 * and origin, then every entry — by recomputing the whole tree when the bundle holds the log from
 * seq 0 to the checkpoint's size, otherwise by each entry's inclusion proof — streaming both files
 * line by line. A redacted bundle is reported as such, never as tampered.
 */
public final class BundleVerifier {
  /** The outcome for a bundle; {@code failure} is null when every entry verified. */
  public record Result(String workspace, boolean redacted, long entriesChecked, long treeSize, Failure failure) {
    public boolean ok() {
      return failure == null && !redacted;
    }

    public String line() {
      if (redacted) return workspace + ": redacted export: entries cannot be verified (the checkpoint of size " + treeSize + " is validly signed)";
      if (failure == null) return workspace + ": OK — " + entriesChecked + " entries verified against the signed checkpoint of size " + treeSize;
      String where = failure.seq() >= 0 ? "at seq " + failure.seq() : failure.checkpointSize() >= 0 ? "at the checkpoint of size " + failure.checkpointSize() : "";
      return (workspace == null ? "bundle" : workspace) + ": FAILED " + where + (where.isEmpty() ? "— " : " — ") + failure.message();
    }
  }

  private BundleVerifier() {}

  public static Result verify(Path bundle, NoteVerifier verifier) {
    try (ZipFile zip = new ZipFile(bundle.toFile())) {
      return verify(zip, verifier);
    } catch (ZipException e) {
      return broken(null, "the bundle is not a readable zip file (damaged or truncated): " + e.getMessage());
    } catch (IOException e) {
      return broken(null, "cannot read the bundle " + bundle + ": " + e.getMessage());
    }
  }

  private static Result verify(ZipFile zip, NoteVerifier verifier) throws IOException {
    JsonNode manifest;
    try {
      manifest = Json.MAPPER.readTree(read(zip, "manifest.json"));
    } catch (JacksonException e) {
      return broken(null, "manifest.json is not valid JSON: " + e.getOriginalMessage());
    } catch (MissingPart e) {
      return broken(null, e.getMessage());
    }
    if (!BundleWriter.FORMAT.equals(manifest.path("format").asString(null)) || manifest.path("version").asInt(0) != BundleWriter.VERSION) {
      return broken(null, "manifest.json is not a " + BundleWriter.FORMAT + " version " + BundleWriter.VERSION + " manifest");
    }
    String workspace = manifest.path("workspace").asString(null);
    String origin = manifest.path("origin").asString(null);
    long treeSize = manifest.path("tree_size").asLong(-1);
    long first = manifest.path("first_seq").asLong(-1);
    long last = manifest.path("last_seq").asLong(-1);
    long count = manifest.path("count").asLong(-1);
    boolean range = "range".equals(manifest.path("selection").asString(null));
    boolean withProofs = "inclusion".equals(manifest.path("proofs").asString(null));
    if (workspace == null || origin == null || treeSize < 0 || first < 0 || last < first || count <= 0) {
      return broken(workspace, "manifest.json lacks workspace, origin, tree_size, first_seq, last_seq or count");
    }
    if (!origin.equals(verifier.name() + "/" + workspace)) {
      return broken(workspace, "the manifest's origin '" + origin + "' is not '" + verifier.name() + "/" + workspace + "' of this key and workspace");
    }
    String note;
    Checkpoint checkpoint;
    try {
      note = new String(read(zip, "checkpoint"), StandardCharsets.UTF_8);
      checkpoint = verifier.verifyCheckpoint(note, origin);
    } catch (MissingPart e) {
      return broken(workspace, e.getMessage());
    } catch (WrongKeyException e) {
      return new Result(workspace, false, 0, treeSize, Failure.atCheckpoint(treeSize, "the checkpoint is " + e.getMessage()
          + " (if that is the verifier key of this log, the checkpoint was forged)"));
    } catch (CheckpointException e) {
      return new Result(workspace, false, 0, treeSize, Failure.atCheckpoint(treeSize, "the checkpoint is forged or altered: " + e.getMessage()));
    }
    if (checkpoint.treeSize() != treeSize) {
      return broken(workspace, "the manifest says tree_size " + treeSize + " but the checkpoint is of size " + checkpoint.treeSize());
    }
    if (manifest.path("redacted").asBoolean(false)) return new Result(workspace, true, 0, treeSize, null);
    if (zip.getEntry("entries.ndjson") == null) return broken(workspace, "the bundle lacks entries.ndjson");
    if (!withProofs) {
      if (!range || first != 0 || last != treeSize - 1 || count != treeSize) {
        return broken(workspace, "a bundle without proofs must hold the whole log, seq 0 to " + (treeSize - 1) + ", as a range");
      }
      return wholeLog(zip, workspace, verifier, note, treeSize);
    }
    if (zip.getEntry("proofs.ndjson") == null) return broken(workspace, "the manifest promises inclusion proofs but the bundle lacks proofs.ndjson");
    return withProofs(zip, workspace, checkpoint, range, first, last, count);
  }

  /** The whole log from seq 0: re-hashing it must give exactly the checkpoint's root. */
  private static Result wholeLog(ZipFile zip, String workspace, NoteVerifier verifier, String note, long treeSize) throws IOException {
    CheckpointReader.Stored[] only = {new CheckpointReader.Stored(treeSize, note)};
    LogChecker checker = new LogChecker(workspace, verifier, () -> {
      CheckpointReader.Stored next = only[0];
      only[0] = null;
      return next;
    });
    try (BufferedReader lines = lines(zip, "entries.ndjson")) {
      String line;
      while ((line = lines.readLine()) != null && !checker.failed()) {
        byte[] canonical = line.getBytes(StandardCharsets.UTF_8);
        if (checker.expectedSeq() >= treeSize) {
          return new Result(workspace, false, checker.expectedSeq(), treeSize, Failure.atSeq(treeSize,
              "the bundle holds entries beyond the checkpoint's size " + treeSize + " (an entry was inserted or duplicated)"));
        }
        checker.accept(seqOr(canonical, checker.expectedSeq()), canonical);
      }
    }
    Verdict v = checker.finish("entries.ndjson ends early");
    return new Result(workspace, false, v.entriesChecked(), treeSize, v.failure());
  }

  /** A range or list: every entry must be in the checkpoint's tree by its own inclusion proof. */
  private static Result withProofs(ZipFile zip, String workspace, Checkpoint checkpoint, boolean range, long first, long last, long count)
      throws IOException {
    TreeHasher hasher = new TreeHasher();
    long treeSize = checkpoint.treeSize();
    long checked = 0;
    long previous = -1;
    Hash previousLeaf = null;
    try (BufferedReader entries = lines(zip, "entries.ndjson"); BufferedReader proofs = lines(zip, "proofs.ndjson")) {
      String line;
      while ((line = entries.readLine()) != null) {
        byte[] canonical = line.getBytes(StandardCharsets.UTF_8);
        long expected = range ? first + checked : -1;
        EntryFields fields;
        try {
          fields = EntryFields.of(canonical);
        } catch (JacksonException | IllegalArgumentException e) {
          long at = range ? expected : previous + 1;
          return new Result(workspace, false, checked, treeSize, Failure.atSeq(at, "line " + (checked + 1) + " of entries.ndjson (after seq "
              + previous + ") is not a valid log entry: " + e.getMessage()));
        }
        long seq = fields.seq();
        if (!workspace.equals(fields.workspace())) {
          return new Result(workspace, false, checked, treeSize, Failure.atSeq(seq, "entry seq " + seq + " says workspace '" + fields.workspace() + "'"));
        }
        if (seq <= previous) {
          return new Result(workspace, false, checked, treeSize, Failure.atSeq(seq, "seq " + seq + " appears after seq " + previous
              + " (an entry was inserted, duplicated or reordered)"));
        }
        if (range && seq != expected) {
          return new Result(workspace, false, checked, treeSize, Failure.atSeq(expected, "seq " + expected + " is missing from the range: "
              + (checked == 0 ? "the bundle starts" : "seq " + previous + " is followed") + " by seq " + seq + " (an entry was removed or entries were reordered)"));
        }
        if (seq >= treeSize || seq > last) {
          return new Result(workspace, false, checked, treeSize, Failure.atSeq(seq, "seq " + seq + " is beyond the bundle's last seq " + last
              + " or the checkpoint's size " + treeSize + " (an entry was inserted)"));
        }
        Hash leaf = hasher.leafHash(canonical);
        if (previousLeaf != null && seq == previous + 1 && !previousLeaf.hex().equals(fields.prevHash())) {
          return new Result(workspace, false, checked, treeSize, Failure.atSeq(previous, "entry seq " + previous
              + " or seq " + seq + " was altered: the hash of seq " + previous + " does not match the prev_hash recorded in seq " + seq));
        }
        String proofLine = proofs.readLine();
        if (proofLine == null) return new Result(workspace, false, checked, treeSize, Failure.atSeq(seq, "proofs.ndjson has no proof for seq " + seq));
        try {
          InclusionProof proof = parseProof(proofLine);
          if (proof.leafIndex() != seq || proof.treeSize() != treeSize) {
            throw new ProofException("the proof on line " + (checked + 1) + " of proofs.ndjson is for index " + proof.leafIndex()
                + " in size " + proof.treeSize() + ", not seq " + seq + " in size " + treeSize);
          }
          ProofVerifier.verifyInclusion(proof, leaf, checkpoint.rootHash());
        } catch (ProofException | IllegalArgumentException | JacksonException e) {
          return new Result(workspace, false, checked, treeSize, Failure.atSeq(seq, "entry seq " + seq + " was altered, or its inclusion proof "
              + "does not match the checkpoint: " + e.getMessage()));
        }
        previous = seq;
        previousLeaf = leaf;
        checked++;
      }
    }
    if (checked != count || previous != last) {
      long at = range ? first + checked : previous + 1;
      return new Result(workspace, false, checked, treeSize, Failure.atSeq(at, "the bundle holds " + checked + " entries ending at seq " + previous
          + " but its manifest promises " + count + " ending at seq " + last + " (entries were removed or the file was truncated)"));
    }
    return new Result(workspace, false, checked, treeSize, null);
  }

  static InclusionProof parseProof(String line) {
    JsonNode p = Json.MAPPER.readTree(line);
    JsonNode hashes = p.path("hashes");
    if (!p.path("index").canConvertToLong() || !p.path("size").canConvertToLong() || !hashes.isArray()) {
      throw new IllegalArgumentException("a proof is {\"index\",\"size\",\"hashes\":[…]}");
    }
    java.util.List<Hash> list = new java.util.ArrayList<>(hashes.size());
    for (JsonNode h : hashes) list.add(Hash.fromBase64(h.asString()));
    return new InclusionProof(p.get("index").asLong(), p.get("size").asLong(), list);
  }

  private static long seqOr(byte[] canonical, long fallback) {
    try {
      return EntryFields.of(canonical).seq();
    } catch (JacksonException | IllegalArgumentException e) {
      return fallback;
    }
  }

  private static Result broken(String workspace, String message) {
    return new Result(workspace, false, 0, 0, new Failure(-1, -1, message));
  }

  private static final class MissingPart extends IOException {
    MissingPart(String message) {
      super(message);
    }
  }

  private static byte[] read(ZipFile zip, String name) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) throw new MissingPart("the bundle lacks " + name);
    try (InputStream in = zip.getInputStream(e)) {
      return in.readAllBytes();
    }
  }

  private static BufferedReader lines(ZipFile zip, String name) throws IOException {
    return new BufferedReader(new InputStreamReader(zip.getInputStream(zip.getEntry(name)), StandardCharsets.UTF_8), 1 << 16);
  }
}
