package org.trailbook.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trailbook.checkpoint.GoNoteVectors.ENOCH_SIG;
import static org.trailbook.checkpoint.GoNoteVectors.PETER_SIG;
import static org.trailbook.checkpoint.GoNoteVectors.TEXT;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Notes and malformed messages from golang/mod sumdb/note/note_test.go ({@code TestOpen}), via {@link GoNoteVectors}. */
class SignedNoteTest {
  @Test
  void parsesTextAndSignaturesAndFormatsThemBack() {
    String note = TEXT + "\n" + PETER_SIG + ENOCH_SIG;
    SignedNote parsed = SignedNote.parse(note);
    assertThat(parsed.text()).isEqualTo(TEXT);
    assertThat(parsed.signatures()).extracting(SignedNote.Signature::keyLabel)
        .containsExactly("PeterNeumann+c74f20a3", "EnochRoot+af0cfe78");
    assertThat(parsed.signatures().getFirst().signature()).hasSize(64);
    assertThat(parsed.format()).isEqualTo(note);
  }

  @Test
  void separatesTheTextAtTheLastBlankLine() {
    String text = "first\n\nthird\n";
    assertThat(SignedNote.parse(text + "\n" + PETER_SIG).text()).isEqualTo(text);
  }

  /** {@code badMsgs} in TestOpen, plus the other malformed shapes the spec rules out. */
  static Stream<Arguments> malformedNotes() {
    return Stream.of(
        Arguments.of(TEXT, "signed note has no blank line before its signatures"),
        Arguments.of(TEXT + "\n", "signed note has no signature lines"),
        Arguments.of(TEXT + "\n" + PETER_SIG.substring(0, PETER_SIG.length() - 1), "signed note does not end in a newline"),
        Arguments.of("\u0001" + TEXT + "\n" + PETER_SIG, "signed note contains control character 0x1 at 0"),
        Arguments.of("\ud800" + TEXT + "\n" + PETER_SIG, "signed note is not valid UTF-8"),
        Arguments.of(TEXT + "\n" + "\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
            "signature line 1 is not '— <key name> <base64 signature>'"),
        Arguments.of(TEXT + "\n" + PETER_SIG + "Unexpected line.\n", "signature line 2 does not start with an em dash and a space"),
        Arguments.of(TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Peter+Neumann"),
            "signature line 1 is malformed: key name 'Peter+Neumann' contains a space, plus or control character"),
        Arguments.of(TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Peter\u00a0Neumann"),
            "signature line 1 is malformed: key name 'Peter\u00a0Neumann' contains a space, plus or control character"),
        Arguments.of(TEXT + "\n\u2014 PeterNeumann AAAA\n",
            "signature line 1 is malformed: signature by PeterNeumann has 3 bytes, too short for a key ID and a signature"),
        Arguments.of(TEXT + "\n\u2014 PeterNeumann x08go/ZJ!!\n", "signature line 1 is malformed: signature 'x08go/ZJ!!' is not canonical base64"),
        Arguments.of(TEXT + "\n" + PETER_SIG.repeat(101), "signed note has 101 signature lines, at most 100 allowed"));
  }

  @ParameterizedTest
  @MethodSource("malformedNotes")
  void rejectsMalformedNotesPrecisely(String note, String message) {
    assertThatThrownBy(() -> SignedNote.parse(note)).isInstanceOf(CheckpointException.class).hasMessage(message);
  }

  @Test
  void acceptsAHundredSignatures() {
    assertThat(SignedNote.parse(TEXT + "\n" + PETER_SIG.repeat(100)).signatures()).hasSize(100);
  }
}
