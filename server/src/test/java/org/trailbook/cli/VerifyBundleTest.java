package org.trailbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.checkpoint.Checkpoint;
import org.trailbook.checkpoint.LogKey;
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.merkle.Hash;
import org.trailbook.server.TestServer;
import org.trailbook.verify.BundleWriter;

/**
 * {@code trailbook verify --bundle FILE --key KEYFILE}: bundles written by {@link BundleWriter}
 * from a live server verify with nothing but the verifier key, and every kind of tampering with
 * the bundle's files is named.
 */
class VerifyBundleTest {
  @TempDir static Path dir;
  @TempDir Path work;
  static TestServer server;
  static LogIntegrity integrity;
  static Path keyFile;
  static long size;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start(dir.resolve("data"));
    String key = server.workspaceWithKey("acme", "ingest", "read");
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < 20; i++) body.append(i > 0 ? "," : "").append("{\"id\":\"e").append(i).append("\",\"action\":\"thing.done\",\"metadata\":{\"n\":1}}");
    server.http.post("/v1/events", key, body.append(']').toString()).expect(201);
    integrity = server.server().integrity();
    integrity.signDue();
    size = integrity.treeSize("acme");
    keyFile = dir.resolve("log.pub");
    Files.writeString(keyFile, server.http.get("/v1/log/key", key).expect(200).body());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theWholeLogVerifiesWithoutProofs() {
    Path bundle = bundle(new BundleWriter.Range(0, size), false);
    assertThat(read(bundle)).doesNotContainKey("proofs.ndjson").containsKeys("manifest.json", "checkpoint", "entries.ndjson");
    VerifyDataTest.Run r = verifyBundle(bundle);
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).contains("acme: OK — " + size + " entries verified against the signed checkpoint of size " + size);
  }

  @Test
  void aRangeAndAFilteredListVerifyByInclusionProofs() {
    VerifyDataTest.Run range = verifyBundle(bundle(new BundleWriter.Range(5, 12), false));
    assertThat(range.code()).as(range.all()).isZero();
    assertThat(range.out()).contains("7 entries verified");
    VerifyDataTest.Run list = verifyBundle(bundle(new BundleWriter.Seqs(List.of(2L, 3L, 9L, size - 1)), false));
    assertThat(list.code()).as(list.all()).isZero();
    assertThat(list.out()).contains("4 entries verified");
  }

  @Test
  void aRedactedBundleSaysItCannotBeVerifiedRatherThanTampered() {
    VerifyDataTest.Run r = verifyBundle(bundle(new BundleWriter.Range(0, size), true));
    assertThat(r.code()).isEqualTo(Main.EXIT_FAILED_CHECK);
    assertThat(r.err()).contains("redacted export: entries cannot be verified").doesNotContain("altered").doesNotContain("FAILED");
  }

  @Test
  void tamperingWithTheWholeLogIsNamed() {
    Path whole = bundle(new BundleWriter.Range(0, size), false);
    assertFails(editLines(whole, lines -> lines.set(7, lines.get(7).replace("\"n\":1", "\"n\":2"))), "at seq 7", "altered");
    assertFails(editLines(whole, lines -> lines.remove(7)), "at seq 7", "missing");
    assertFails(editLines(whole, lines -> lines.add(7, lines.get(7))), "at seq 7", "appears again");
    assertFails(editLines(whole, lines -> lines.add(8, lines.remove(7))), "at seq 7", "missing");
    assertFails(editLines(whole, lines -> lines.removeLast()), "at seq " + (size - 1), "missing");
  }

  @Test
  void tamperingWithAFilteredListIsNamed() {
    Path list = bundle(new BundleWriter.Seqs(List.of(2L, 3L, 9L, 15L)), false);
    assertFails(editLines(list, lines -> lines.set(2, lines.get(2).replace("\"n\":1", "\"n\":2"))), "at seq 9", "inclusion proof");
    assertFails(editLines(list, lines -> lines.remove(2)), "at seq 15", "inclusion proof");
    assertFails(editLines(list, lines -> lines.add(1, lines.get(0))), "at seq 2", "appears after seq 2");
    assertFails(editLines(list, lines -> lines.add(3, lines.remove(2))), "at seq 15", "inclusion proof");
  }

  @Test
  void aTruncatedBundleFails() throws IOException {
    Path whole = bundle(new BundleWriter.Range(0, size), false);
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = work.resolve("cut.zip");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 40));
    assertFails(cut, "", "not a readable zip");
  }

  @Test
  void aForgedCheckpointOrAlteredSignatureIsNamed() {
    Path whole = bundle(new BundleWriter.Range(0, size), false);
    String note = new String(read(whole).get("checkpoint"), StandardCharsets.UTF_8);
    Checkpoint body = Checkpoint.parse(note.substring(0, note.indexOf("\n\n") + 1));
    LogKey forger = LogKey.generate("trailbook");
    String forged = forger.sign(new Checkpoint(body.origin(), body.treeSize(), Hash.ZERO));
    assertFails(replace(whole, "checkpoint", forged), "at the checkpoint of size " + size, "is signed by key " + forger.verifier().keyLabel() + ", expected key ", "the checkpoint was forged");
    int sig = note.lastIndexOf(' ') + 20;
    String altered = note.substring(0, sig) + (note.charAt(sig) == 'A' ? 'B' : 'A') + note.substring(sig + 1);
    assertFails(replace(whole, "checkpoint", altered), "at the checkpoint of size " + size, "invalid signature");
  }

  // ------------------------------------------------------------------ helpers

  private Path bundle(BundleWriter.Selection selection, boolean redacted) {
    Path file = work.resolve("bundle-" + System.nanoTime() + ".zip");
    try (OutputStream out = Files.newOutputStream(file)) {
      integrity.writeBundle("acme", selection, redacted ? bytes -> "{\"redacted\":true}".getBytes(StandardCharsets.UTF_8) : null, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static VerifyDataTest.Run verifyBundle(Path bundle) {
    return VerifyDataTest.verify("--bundle", bundle.toString(), "--key", keyFile.toString());
  }

  private static void assertFails(Path bundle, String where, String... what) {
    VerifyDataTest.Run r = verifyBundle(bundle);
    assertThat(r.code()).as(r.all()).isEqualTo(Main.EXIT_FAILED_CHECK);
    assertThat(r.err()).as(r.all()).contains("FAILED " + where).contains(what);
  }

  private static Map<String, byte[]> read(Path zip) {
    Map<String, byte[]> parts = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (ZipEntry e : java.util.Collections.list(z.entries())) parts.put(e.getName(), z.getInputStream(e).readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return parts;
  }

  private Path write(Map<String, byte[]> parts) {
    Path file = work.resolve("tampered-" + System.nanoTime() + ".zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
      for (var p : parts.entrySet()) {
        out.putNextEntry(new ZipEntry(p.getKey()));
        out.write(p.getValue());
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private Path replace(Path zip, String name, String content) {
    Map<String, byte[]> parts = read(zip);
    parts.put(name, content.getBytes(StandardCharsets.UTF_8));
    return write(parts);
  }

  private Path editLines(Path zip, java.util.function.Consumer<List<String>> edit) {
    Map<String, byte[]> parts = read(zip);
    List<String> lines = new ArrayList<>(List.of(new String(parts.get("entries.ndjson"), StandardCharsets.UTF_8).split("\n")));
    edit.accept(lines);
    parts.put("entries.ndjson", (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    return write(parts);
  }
}
