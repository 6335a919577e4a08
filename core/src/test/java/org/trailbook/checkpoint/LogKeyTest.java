package org.trailbook.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trailbook.checkpoint.GoNoteVectors.PETER_SIGNER;
import static org.trailbook.checkpoint.GoNoteVectors.PETER_VERIFIER;
import static org.trailbook.checkpoint.GoNoteVectors.SIGNED;
import static org.trailbook.checkpoint.GoNoteVectors.TEXT;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trailbook.merkle.Hash;

class LogKeyTest {
  @TempDir Path dir;

  /** {@code TestSign} in golang/mod sumdb/note/note_test.go: Ed25519 is deterministic, so the signed note matches byte for byte. */
  @Test
  void reproducesTheGoKnownAnswerSignature() {
    LogKey key = LogKey.parse(PETER_SIGNER);
    assertThat(key.signNote(TEXT)).isEqualTo(SIGNED);
  }

  /** The signer and verifier keys of {@code TestNewSigner}/{@code TestNewVerifier} in note_test.go are one pair. */
  @Test
  void derivesTheGoVerifierKeyFromTheSignerKey() {
    LogKey key = LogKey.parse(PETER_SIGNER);
    assertThat(key.name()).isEqualTo("PeterNeumann");
    assertThat(key.keyId()).isEqualTo(0xc74f20a3);
    assertThat(key.verifierKey()).isEqualTo(PETER_VERIFIER);
    assertThat(key.signerKey()).isEqualTo(PETER_SIGNER);
  }

  /** The manglings of {@code TestNewSigner} in note_test.go: every proper substring and every single-byte increment fails. */
  @Test
  void rejectsEveryMangledSignerKey() {
    byte[] b = PETER_SIGNER.getBytes();
    for (int i = 0; i <= b.length; i++) {
      for (int j = i + 1; j <= b.length; j++) {
        if (i == 0 && j == b.length) continue;
        String mangled = new String(b, i, j - i);
        assertThatThrownBy(() -> LogKey.parse(mangled)).as(mangled).isInstanceOf(CheckpointException.class);
      }
    }
    for (int i = 0; i < b.length; i++) {
      b[i]++;
      String mangled = new String(b);
      assertThatThrownBy(() -> LogKey.parse(mangled)).as(mangled).isInstanceOf(CheckpointException.class);
      b[i]--;
    }
  }

  @Test
  void neverShowsThePrivateKeyInMessages() {
    String wrongId = PETER_SIGNER.replace("c74f20a3", "c74f20a4");
    assertThatThrownBy(() -> LogKey.parse(wrongId)).isInstanceOf(CheckpointException.class)
        .hasMessage("signer key for 'PeterNeumann' has key ID c74f20a4 but its name and key give c74f20a3");
    String secret = PETER_SIGNER.substring(PETER_SIGNER.lastIndexOf('+') + 1);
    assertThatThrownBy(() -> LogKey.parse(PETER_SIGNER + "A")).isInstanceOf(CheckpointException.class)
        .message().doesNotContain(secret);
    assertThat(LogKey.parse(PETER_SIGNER).toString()).isEqualTo("LogKey[PeterNeumann+c74f20a3]");
  }

  @Test
  void signsCheckpointsThatItsVerifierAccepts() {
    LogKey key = LogKey.generate("trailbook.example");
    Checkpoint checkpoint = new Checkpoint("trailbook.example/acme", 42, Hash.fromHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"));
    String note = key.sign(checkpoint);
    assertThat(note).startsWith(checkpoint.body() + "\n\u2014 trailbook.example ");
    assertThat(NoteVerifier.parse(key.verifierKey()).verifyCheckpoint(note, "trailbook.example/acme")).isEqualTo(checkpoint);
  }

  @Test
  void createsAKeyOnceWithOwnerOnlyPermissionsAndLoadsItAfterwards() throws IOException {
    Path file = dir.resolve("keys/log.key");
    LogKey created = LogKey.loadOrCreate(file, "trailbook.example");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file)).isEqualTo(created.signerKey() + "\n");
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
    LogKey loaded = LogKey.loadOrCreate(file, "trailbook.example");
    assertThat(loaded.verifierKey()).isEqualTo(created.verifierKey());
    assertThat(LogKey.generate("trailbook.example").verifierKey()).isNotEqualTo(created.verifierKey());
  }

  @Test
  void refusesAKeyFileWithAnotherName() {
    Path file = dir.resolve("log.key");
    LogKey.loadOrCreate(file, "one.example");
    assertThatThrownBy(() -> LogKey.loadOrCreate(file, "two.example")).isInstanceOf(CheckpointException.class)
        .hasMessage("log key in " + file + " is named 'one.example', not 'two.example'");
  }

  @Test
  void rejectsKeyNamesWithSpacesOrPluses() {
    assertThatThrownBy(() -> LogKey.generate("a b")).isInstanceOf(CheckpointException.class)
        .hasMessage("key name 'a b' contains a space, plus or control character");
    assertThatThrownBy(() -> LogKey.generate("a+b")).isInstanceOf(CheckpointException.class);
    assertThatThrownBy(() -> LogKey.generate("")).isInstanceOf(CheckpointException.class).hasMessage("key name is empty");
  }
}
