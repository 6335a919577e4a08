package org.trailbook.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trailbook.archive.ArchiveTestSupport.cli;
import static org.trailbook.archive.ArchiveTestSupport.ingest;
import static org.trailbook.archive.ArchiveTestSupport.sha256;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.server.ServerConfig;
import org.trailbook.server.TestServer;
import org.trailbook.verify.ArchiveVerifier;

/**
 * A real server with {@code TRAILBOOK_ARCHIVE_TARGET} set to a directory: {@link Archiver} writes archives of ranges
 * of a live log that verify offline — through {@code trailbook archive verify} too — and refuses ranges it cannot
 * archive whole.
 */
class ArchiverTest {
  @TempDir static Path dir;
  static TestServer server;
  static Archiver archiver;
  static Path target;
  static Path keyFile;
  static String key;

  @BeforeAll
  static void start() throws IOException {
    target = dir.resolve("archives");
    ServerConfig config = ServerConfig.fromEnvironment(Map.of("TRAILBOOK_ARCHIVE_TARGET", "file://" + target))
        .withDataDir(dir.resolve("data"));
    server = TestServer.start(config);
    key = server.workspaceWithKey("acme", "ingest", "read");
    ingest(server, key, "a", 30);
    keyFile = dir.resolve("log.pub");
    Files.writeString(keyFile, server.http.get("/v1/log/key", key).expect(200).body());
    archiver = server.server().archiver().orElseThrow();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anArchiveOfALiveRangeVerifiesOfflineAndNamesItsBytes() throws IOException {
    ArchiveRef ref = archiver.archive("acme", 0, 20);
    Path file = target.resolve("acme").resolve("00000000000000000000-00000000000000000020.tbarchive.zst");
    assertThat(ref.location()).isEqualTo(file.toUri().toString());
    assertThat(Path.of(URI.create(ref.location()))).exists();
    assertThat(ref.count()).isEqualTo(20);
    assertThat(ref.entries()).isEqualTo(20);
    assertThat(ref.treeSize()).isGreaterThanOrEqualTo(20);
    assertThat(ref.bytes()).isEqualTo(Files.size(file));
    assertThat(ref.sha256()).isEqualTo(sha256(file));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    ArchiveVerifier.Result r = ArchiveVerifier.verify(file, NoteVerifier.parse(Files.readString(keyFile).strip()));
    assertThat(r.ok()).as(r.line()).isTrue();
    assertThat(r.entriesChecked()).isEqualTo(20);
    assertThat(Files.list(dir.resolve("data").resolve("archive-staging")).toList()).as("staging files are removed").isEmpty();
  }

  @Test
  void laterRangesAreProvenAgainstNewerCheckpointsAndListInSeqOrder() throws IOException {
    ingest(server, key, "b", 25);
    ArchiveRef late = archiver.archive("acme", 30, 55);
    ArchiveRef early = archiver.archive("acme", 20, 30);
    assertThat(late.treeSize()).isGreaterThanOrEqualTo(55);
    assertThat(archiver.target().list("acme")).extracting(ArchiveTarget.Stored::name)
        .containsSubsequence(ArchiveFormat.fileName(20, 30), ArchiveFormat.fileName(30, 55));
    for (ArchiveRef ref : new ArchiveRef[] {late, early}) {
      ArchiveTestSupport.Run run = cli("archive", "verify", Path.of(URI.create(ref.location())).toString(), "--key", keyFile.toString());
      assertThat(run.code()).as(run.out() + run.err()).isZero();
      assertThat(run.out()).contains("archive of acme seqs [" + ref.fromSeq() + ", " + ref.toSeq() + "): OK — " + ref.count() + " entries",
          "file SHA-256 " + ref.sha256());
      ArchiveTestSupport.Run pinned = cli("archive", "verify", Path.of(URI.create(ref.location())).toString(), "--key", keyFile.toString(),
          "--sha256", ref.sha256());
      assertThat(pinned.code()).as(pinned.out() + pinned.err()).isZero();
    }
    // archiving the same range again keeps the verified file on the target (a crashed purger's re-run, a write-once bucket)
    Path lateFile = Path.of(URI.create(late.location()));
    Object inode = Files.readAttributes(lateFile, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    ArchiveRef again = archiver.archive("acme", 30, 55);
    assertThat(again).isEqualTo(late);
    assertThat(Files.readAttributes(lateFile, java.nio.file.attribute.BasicFileAttributes.class).fileKey()).isEqualTo(inode);
    // ... unless it does not verify: then it is written again
    byte[] bytes = Files.readAllBytes(lateFile);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(lateFile, bytes);
    ArchiveRef rewritten = archiver.archive("acme", 30, 55);
    assertThat(rewritten.sha256()).isNotEqualTo(sha256(new java.io.ByteArrayInputStream(bytes))).isEqualTo(sha256(lateFile));
    assertThat(ArchiveVerifier.verify(lateFile, NoteVerifier.parse(Files.readString(keyFile).strip())).ok()).isTrue();
  }

  @Test
  void theCliNamesADamagedArchiveAndTheWrongKey() throws IOException {
    ArchiveRef ref = archiver.archive("acme", 3, 9);
    Path damaged = dir.resolve("damaged.tbarchive.zst");
    byte[] bytes = Files.readAllBytes(Path.of(URI.create(ref.location())));
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(damaged, bytes);
    ArchiveTestSupport.Run bad = cli("archive", "verify", damaged.toString(), "--key", keyFile.toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("FAILED — ");
    Path otherKey = dir.resolve("other.pub");
    Files.writeString(otherKey, org.trailbook.checkpoint.LogKey.generate("trailbook").verifierKey() + "\n");
    ArchiveTestSupport.Run wrong = cli("archive", "verify", Path.of(URI.create(ref.location())).toString(), "--key", otherKey.toString());
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.err()).contains("archive of acme seqs [3, 9): FAILED — the checkpoint is signed by key");
    assertThat(cli("archive", "verify", dir.resolve("nothing").toString(), "--key", keyFile.toString()).code()).isEqualTo(3);
    assertThat(cli("archive", "verify", damaged.toString()).code()).as("--key is required").isEqualTo(2);
    ArchiveTestSupport.Run otherBytes = cli("archive", "verify", Path.of(URI.create(ref.location())).toString(), "--key", keyFile.toString(),
        "--sha256", "ab".repeat(32));
    assertThat(otherBytes.code()).isEqualTo(1);
    assertThat(otherBytes.err()).contains("FAILED — the file's SHA-256 is " + ref.sha256() + ", not the expected " + "ab".repeat(32));
    assertThat(cli("archive", "verify", damaged.toString(), "--key", keyFile.toString(), "--sha256", "xyz").code()).isEqualTo(2);
  }

  @Test
  void refusesRangesItCannotArchiveWhole() {
    assertThatThrownBy(() -> archiver.archive("acme", 5, 5)).isInstanceOf(ArchiveException.class).hasMessageContaining("empty or negative range [5, 5)");
    assertThatThrownBy(() -> archiver.archive("acme", 0, 10_000)).isInstanceOf(ArchiveException.class)
        .hasMessageContaining("cannot archive [0, 10000) of workspace 'acme': its log has");
    assertThatThrownBy(() -> archiver.archive("nobody", 0, 1)).isInstanceOf(ArchiveException.class).hasMessageContaining("its log has 0 entries");
  }
}
