package org.trailbook.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trailbook.checkpoint.GoNoteVectors.ENOCH_SIG;
import static org.trailbook.checkpoint.GoNoteVectors.ENOCH_VERIFIER;
import static org.trailbook.checkpoint.GoNoteVectors.PETER_SIG;
import static org.trailbook.checkpoint.GoNoteVectors.PETER_VERIFIER;
import static org.trailbook.checkpoint.GoNoteVectors.SIGNED;
import static org.trailbook.checkpoint.GoNoteVectors.TEXT;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.trailbook.merkle.Hash;

/** Keys, notes and signatures from golang/mod sumdb/note/note_test.go ({@code TestNewVerifier}, {@code TestOpen}), via {@link GoNoteVectors}. */
class NoteVerifierTest {
  private final NoteVerifier peter = NoteVerifier.parse(PETER_VERIFIER);

  @Test
  void verifiesTheGoKnownAnswerNote() {
    assertThat(peter.verify(SIGNED).text()).isEqualTo(TEXT);
    assertThat(peter.verifierKey()).isEqualTo(PETER_VERIFIER);
    assertThat(peter.keyLabel()).isEqualTo("PeterNeumann+c74f20a3");
  }

  @Test
  void ignoresSignaturesByOtherKeys() {
    String both = TEXT + "\n" + ENOCH_SIG + PETER_SIG;
    assertThat(peter.verify(both).text()).isEqualTo(TEXT);
    assertThat(NoteVerifier.parse(ENOCH_VERIFIER).verify(both).text()).isEqualTo(TEXT);
  }

  @Test
  void rejectsAChangedText() {
    String tampered = SIGNED.replace("cryptography", "cryptographY");
    assertThatThrownBy(() -> peter.verify(tampered)).isInstanceOf(CheckpointException.class)
        .hasMessage("invalid signature for key PeterNeumann+c74f20a3");
  }

  @Test
  void rejectsAChangedSignatureByte() {
    String base64 = PETER_SIG.substring(PETER_SIG.lastIndexOf(' ') + 1, PETER_SIG.length() - 1);
    byte[] bytes = Base64.getDecoder().decode(base64);
    bytes[10] ^= 1; // a byte of the Ed25519 signature, after the 4-byte key ID
    String tampered = SIGNED.replace(base64, Base64.getEncoder().encodeToString(bytes));
    assertThatThrownBy(() -> peter.verify(tampered)).isInstanceOf(CheckpointException.class)
        .hasMessage("invalid signature for key PeterNeumann+c74f20a3");
  }

  /** {@code TestOpen}'s "invalid signature": four characters inserted into the base64. */
  @Test
  void rejectsASignatureOfTheWrongLength() {
    String tampered = TEXT + "\n" + PETER_SIG.substring(0, 60) + "ABCD" + PETER_SIG.substring(60);
    assertThatThrownBy(() -> peter.verify(tampered)).isInstanceOf(CheckpointException.class)
        .hasMessage("invalid signature for key PeterNeumann+c74f20a3");
  }

  @Test
  void rejectsANoteSignedUnderAnotherKeyName() {
    String renamed = SIGNED.replace("\u2014 PeterNeumann", "\u2014 CarmenSandiego");
    assertThatThrownBy(() -> peter.verify(renamed)).isInstanceOf(CheckpointException.class)
        .isInstanceOf(WrongKeyException.class).hasMessage("signed by key CarmenSandiego+c74f20a3, expected key PeterNeumann+c74f20a3");
  }

  @Test
  void rejectsANoteSignedUnderAnotherKeyId() {
    String base64 = PETER_SIG.substring(PETER_SIG.lastIndexOf(' ') + 1, PETER_SIG.length() - 1);
    byte[] bytes = Base64.getDecoder().decode(base64);
    bytes[3] ^= 1;
    String tampered = SIGNED.replace(base64, Base64.getEncoder().encodeToString(bytes));
    assertThatThrownBy(() -> peter.verify(tampered)).isInstanceOf(CheckpointException.class)
        .isInstanceOf(WrongKeyException.class).hasMessage("signed by key PeterNeumann+c74f20a2, expected key PeterNeumann+c74f20a3");
  }

  @Test
  void rejectsANoteWhoseOnlySignatureIsByAnUnknownKey() {
    assertThatThrownBy(() -> peter.verify(TEXT + "\n" + ENOCH_SIG)).isInstanceOf(CheckpointException.class)
        .isInstanceOf(WrongKeyException.class).hasMessage("signed by key EnochRoot+af0cfe78, expected key PeterNeumann+c74f20a3");
  }

  /** The manglings of {@code TestNewVerifier} in note_test.go, including its wrong-length and unknown-algorithm keys. */
  @Test
  void rejectsEveryMangledVerifierKey() {
    byte[] b = PETER_VERIFIER.getBytes();
    for (int i = 0; i <= b.length; i++) {
      for (int j = i + 1; j <= b.length; j++) {
        if (i == 0 && j == b.length) continue;
        String mangled = new String(b, i, j - i);
        assertThatThrownBy(() -> NoteVerifier.parse(mangled)).as(mangled).isInstanceOf(CheckpointException.class);
      }
    }
    for (int i = 0; i < b.length; i++) {
      b[i]++;
      String mangled = new String(b);
      assertThatThrownBy(() -> NoteVerifier.parse(mangled)).as(mangled).isInstanceOf(CheckpointException.class);
      b[i]--;
    }
    assertThatThrownBy(() -> NoteVerifier.parse("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("has a key that is not canonical base64");
    assertThatThrownBy(() -> NoteVerifier.parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("has signature type 0x65, only Ed25519 (0x01) is supported");
  }

  @Test
  void returnsTheCheckpointAndChecksItsOrigin() {
    LogKey key = LogKey.generate("trailbook.example");
    Checkpoint checkpoint = new Checkpoint("trailbook.example/acme", 8, Hash.fromHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"));
    NoteVerifier verifier = NoteVerifier.parse(key.verifierKey());
    String note = key.sign(checkpoint);
    assertThat(verifier.verifyCheckpoint(note)).isEqualTo(checkpoint);
    assertThatThrownBy(() -> verifier.verifyCheckpoint(note, "trailbook.example/other")).isInstanceOf(CheckpointException.class)
        .hasMessage("checkpoint origin 'trailbook.example/acme' is not the expected 'trailbook.example/other'");
    String otherKeysNote = LogKey.generate("trailbook.example").sign(checkpoint);
    assertThatThrownBy(() -> verifier.verifyCheckpoint(otherKeysNote)).isInstanceOf(CheckpointException.class)
        .isInstanceOf(WrongKeyException.class).hasMessageEndingWith(", expected key " + verifier.keyLabel());
  }
}
