package org.trailbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.LogKey;
import org.trailbook.merkle.Hash;
import org.trailbook.server.JournalFiles;
import org.trailbook.server.JournalFiles.Frame;
import org.trailbook.server.TestServer;

/**
 * {@code trailbook verify --data}: run as the real CLI entry on a stopped server's data directory,
 * intact and after each kind of tampering done to the files on disk. Workspace "acme" holds seqs
 * 0..{@link #lastSeq}; "beta" is left alone and must stay OK.
 */
class VerifyDataTest {
  @TempDir static Path pristine;
  @TempDir Path data;
  static long lastSeq;
  static long lastBatchFirstSeq;
  static final long K = 10;

  /** One data directory for all tests: acme gets batches with a checkpoint signed after each, beta a few events. */
  @BeforeAll
  static void build() {
    try (TestServer server = TestServer.start(pristine)) {
      String acme = server.workspaceWithKey("acme", "ingest");
      String beta = server.workspaceWithKey("beta", "ingest");
      for (int batch = 0; batch < 5; batch++) {
        post(server, acme, batch * 6, 6);
        post(server, beta, 100 + batch, 1);
        server.server().integrity().signDue();
      }
      lastBatchFirstSeq = post(server, acme, 50, 6) - 5;
      lastSeq = lastBatchFirstSeq + 5;
    }
  }

  private static long post(TestServer server, String key, int firstId, int count) {
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      body.append(i > 0 ? "," : "").append("{\"id\":\"a-").append(firstId + i).append("\",\"action\":\"thing.done\",\"metadata\":{\"n\":1")
          .append("}}");
    }
    var r = server.http.post("/v1/events", key, body.append(']').toString()).expect(201).json();
    return r.get("events").get(count - 1).get("seq").asLong();
  }

  @BeforeEach
  void copy() throws IOException {
    try (Stream<Path> all = Files.walk(pristine)) {
      for (Path p : all.toList()) {
        Path target = data.resolve(pristine.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else if (!p.getFileName().toString().equals(".lock")) Files.copy(p, target);
      }
    }
  }

  @Test
  void anIntactDataDirectoryVerifies() {
    Run r = verify("--data", data.toString());
    assertThat(r.code).as(r.all()).isZero();
    assertThat(r.out).contains("acme: OK — " + (lastSeq + 1) + " entries checked, tree size " + (lastSeq + 1))
        .contains("beta: OK").contains("signed checkpoints verified").contains("verified: every log holds");
  }

  @Test
  void aByteChangedInsideAnEntryWithItsChecksumRecomputedIsNamed() {
    List<Frame> frames = JournalFiles.read(data);
    int i = JournalFiles.indexOf(frames, "acme", K);
    frames.set(i, frames.get(i).withText(frames.get(i).text().replace("\"n\":1", "\"n\":7")));
    JournalFiles.write(data, frames);
    assertFailsAt("acme", "at seq " + K, "was altered");
  }

  @Test
  void aByteFlippedOnDiskWithoutFixingTheChecksumIsNamed() throws IOException {
    byte[] file = Files.readAllBytes(JournalFiles.segment(data));
    int at = indexOf(file, "\"id\":\"a-8\"".getBytes(StandardCharsets.UTF_8)); // acme seq 10: ids start at seq 2
    file[at + 7] ^= 0x01;
    Files.write(JournalFiles.segment(data), file);
    assertFailsAt("acme", "at seq " + K, "damaged");
  }

  @Test
  void aRemovedEntryIsNamed() {
    List<Frame> frames = JournalFiles.read(data);
    frames.remove(JournalFiles.indexOf(frames, "acme", K));
    JournalFiles.write(data, frames);
    assertFailsAt("acme", "at seq " + K, "seq " + K + " is missing");
  }

  @Test
  void anInsertedEntryIsNamed() {
    List<Frame> frames = JournalFiles.read(data);
    int i = JournalFiles.indexOf(frames, "acme", K);
    Frame original = frames.get(i);
    frames.add(i, new Frame("acme", "forged", K, original.text().replace("\"id\":\"a-8\"", "\"id\":\"forged\"")
        .getBytes(StandardCharsets.UTF_8)));
    JournalFiles.write(data, frames);
    assertFailsAt("acme", "at seq " + K, "inserted");
  }

  @Test
  void aDuplicatedEntryIsNamed() {
    List<Frame> frames = JournalFiles.read(data);
    int i = JournalFiles.indexOf(frames, "acme", K);
    frames.add(i + 1, frames.get(i));
    JournalFiles.write(data, frames);
    assertFailsAt("acme", "at seq " + K, "appears again");
  }

  @Test
  void reorderedEntriesAreNamed() {
    List<Frame> frames = JournalFiles.read(data);
    int i = JournalFiles.indexOf(frames, "acme", K);
    int j = JournalFiles.indexOf(frames, "acme", K + 1);
    Frame a = frames.get(i);
    frames.set(i, frames.get(j));
    frames.set(j, a);
    JournalFiles.write(data, frames);
    assertFailsAt("acme", "at seq " + K, "reordered");
  }

  @Test
  void aTruncatedJournalIsNamed() throws IOException {
    Path segment = JournalFiles.segment(data);
    try (var ch = java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 100); // inside acme's last batch, its own group
    }
    assertFailsAt("acme", "at seq " + lastBatchFirstSeq, "missing");
    assertThat(verify("--data", data.toString()).out).contains("beta: OK");
  }

  @Test
  void aHistoryRewrittenWithARecomputedHashChainIsCaughtByTheCheckpoints() throws Exception {
    List<Frame> frames = JournalFiles.read(data);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] previousLeaf = null;
    for (int i = 0; i < frames.size(); i++) {
      Frame f = frames.get(i);
      if (!f.workspace().equals("acme") || f.seq() < K) continue;
      String text = f.text();
      if (f.seq() == K) text = text.replace("\"n\":1", "\"n\":7");
      if (previousLeaf != null) text = text.replaceFirst("\"prev_hash\":\"[0-9a-f]{64}\"", "\"prev_hash\":\"" + HexFormat.of().formatHex(previousLeaf) + "\"");
      frames.set(i, f.withText(text));
      sha.update((byte) 0);
      previousLeaf = sha.digest(text.getBytes(StandardCharsets.UTF_8));
    }
    JournalFiles.write(data, frames);
    Run r = assertFailsAt("acme", "at seq ", "rewritten");
    long named = Long.parseLong(r.err.replaceAll("(?s).*acme: FAILED at seq (\\d+).*", "$1"));
    assertThat(named).as("the last checkpoint before the change").isLessThanOrEqualTo(K).isPositive();
  }

  @Test
  void aForgedCheckpointIsNamed() {
    List<Record> records = readCheckpoints("acme");
    Record last = records.getLast();
    LogKey forger = LogKey.generate("trailbook");
    Checkpoint body = Checkpoint.parse(last.note.substring(0, last.note.indexOf("\n\n") + 1));
    String forged = forger.sign(new Checkpoint(body.origin(), body.treeSize(), Hash.ZERO));
    records.set(records.size() - 1, new Record(last.size, forged));
    writeCheckpoints("acme", records);
    assertFailsAt("acme", "at the checkpoint of size " + last.size, "is signed by key " + forger.verifier().keyLabel() + ", expected key ", "the checkpoint was forged");
  }

  @Test
  void anotherLogsKeyIsNamedBesideTheExpectedOne() throws IOException {
    LogKey other = LogKey.generate("trailbook");
    Path keyFile = Files.writeString(data.resolve("other.pub"), other.verifier().verifierKey() + "\n");
    Run r = verify("--data", data.toString(), "--key", keyFile.toString());
    assertThat(r.code).as(r.all()).isEqualTo(Main.EXIT_FAILED_CHECK);
    String ours = LogKey.parse(Files.readString(data.resolve("keys/log.key")).strip()).verifier().keyLabel();
    assertThat(r.err).as(r.all()).contains("is signed by key " + ours + ", expected key " + other.verifier().keyLabel());
  }

  @Test
  void anUnknownWorkspaceIsAUsageError() {
    Run r = verify("--data", data.toString(), "--workspace", "nope");
    assertThat(r.code).as(r.all()).isEqualTo(Main.EXIT_USAGE);
    assertThat(r.err).contains("no workspace 'nope'");
  }

  @Test
  void anAlteredSignatureIsNamed() {
    List<Record> records = readCheckpoints("acme");
    Record middle = records.get(2);
    int sig = middle.note.lastIndexOf(' ') + 10;
    char c = middle.note.charAt(sig);
    String altered = middle.note.substring(0, sig) + (c == 'A' ? 'B' : 'A') + middle.note.substring(sig + 1);
    records.set(2, new Record(middle.size, altered));
    writeCheckpoints("acme", records);
    assertFailsAt("acme", "at the checkpoint of size " + middle.size, "forged or altered");
  }

  @Test
  void checkingOneWorkspaceIgnoresTheOthers() {
    List<Frame> frames = JournalFiles.read(data);
    frames.remove(JournalFiles.indexOf(frames, "acme", K));
    JournalFiles.write(data, frames);
    Run r = verify("--data", data.toString(), "--workspace", "beta");
    assertThat(r.code).as(r.all()).isZero();
    assertThat(r.out).contains("beta: OK").doesNotContain("acme");
  }

  @Test
  void badUsageAndUnusableInputHaveTheirOwnExitCodes() {
    assertThat(verify().code).isEqualTo(Main.EXIT_USAGE);
    assertThat(verify("--data", data.toString(), "--bundle", "x.zip").code).isEqualTo(Main.EXIT_USAGE);
    Run notData = verify("--data", data.resolve("nothing-here").toString());
    assertThat(notData.code).isEqualTo(Main.EXIT_ERROR);
    assertThat(notData.err).contains("not a Trailbook data directory");
  }

  // ------------------------------------------------------------------ helpers

  record Run(int code, String out, String err) {
    String all() {
      return out + err;
    }
  }

  static Run verify(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] full = new String[args.length + 1];
    full[0] = "verify";
    System.arraycopy(args, 0, full, 1, args.length);
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), full);
    return new Run(code, out.toString(), err.toString());
  }

  private Run assertFailsAt(String workspace, String where, String... what) {
    Run r = verify("--data", data.toString());
    assertThat(r.code).as(r.all()).isEqualTo(Main.EXIT_FAILED_CHECK);
    assertThat(r.err).as(r.all()).contains(workspace + ": FAILED " + where).contains(what);
    assertThat(r.out).contains("verification FAILED");
    return r;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return i;
    }
    throw new AssertionError("not found");
  }

  /** One record of a checkpoint file: length(4) treeSize(8) note CRC32C(4) of all before. */
  record Record(long size, String note) {}

  private List<Record> readCheckpoints(String ws) {
    try {
      byte[] bytes = Files.readAllBytes(data.resolve("checkpoints").resolve(ws).resolve("checkpoints"));
      ByteBuffer b = ByteBuffer.wrap(bytes);
      b.position(JournalFiles.headerLength(bytes)); // the same file header layout as a journal segment's
      List<Record> records = new ArrayList<>();
      while (b.hasRemaining()) {
        int length = b.getInt();
        long size = b.getLong();
        byte[] note = new byte[length];
        b.get(note);
        b.getInt();
        records.add(new Record(size, new String(note, StandardCharsets.UTF_8)));
      }
      assertThat(records.size()).as("checkpoints of " + ws).isGreaterThanOrEqualTo(3);
      return records;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeCheckpoints(String ws, List<Record> records) {
    Path file = data.resolve("checkpoints").resolve(ws).resolve("checkpoints");
    byte[] header;
    try {
      byte[] old = Files.readAllBytes(file);
      header = java.util.Arrays.copyOf(old, JournalFiles.headerLength(old));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (var out = Files.newOutputStream(file)) {
      out.write(header);
      for (Record r : records) {
        byte[] note = r.note.getBytes(StandardCharsets.UTF_8);
        ByteBuffer rec = ByteBuffer.allocate(16 + note.length).putInt(note.length).putLong(r.size).put(note);
        CRC32C crc = new CRC32C();
        crc.update(rec.array(), 0, 12 + note.length);
        rec.putInt((int) crc.getValue());
        out.write(rec.array());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
