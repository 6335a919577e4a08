package org.trailbook.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.trailbook.merkle.Hash;

class CheckpointTest {
  /** The example checkpoint body of C2SP tlog-checkpoint (https://github.com/C2SP/C2SP/blob/main/tlog-checkpoint.md). */
  private static final String SPEC_BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

  @Test
  void parsesAndFormatsTheSpecExample() {
    Checkpoint checkpoint = Checkpoint.parse(SPEC_BODY);
    assertThat(checkpoint.origin()).isEqualTo("example.com/behind-the-sofa");
    assertThat(checkpoint.treeSize()).isEqualTo(20852163);
    assertThat(checkpoint.rootHash()).isEqualTo(Hash.fromBase64("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="));
    assertThat(checkpoint.body()).isEqualTo(SPEC_BODY);
  }

  @Test
  void acceptsAndIgnoresExtensionLines() {
    assertThat(Checkpoint.parse(SPEC_BODY + "extension one\nextension two\n")).isEqualTo(Checkpoint.parse(SPEC_BODY));
  }

  @Test
  void formatsTheEmptyTreeWithSizeZero() {
    Checkpoint empty = new Checkpoint("trailbook.example/acme", 0, Hash.fromHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    assertThat(empty.body()).isEqualTo("trailbook.example/acme\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
    assertThat(Checkpoint.parse(empty.body())).isEqualTo(empty);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "o\\n1\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=|checkpoint body does not end in a newline",
      "o\\n1\\n|checkpoint body has 2 lines, at least 3 needed",
      "\\n1\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\\n|checkpoint origin is empty",
      "o\\n01\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\\n|checkpoint tree size '01' is not a decimal number without leading zeros",
      "o\\n-1\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\\n|checkpoint tree size '-1' is not a decimal number without leading zeros",
      "o\\n+1\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\\n|checkpoint tree size '+1' is not a decimal number without leading zeros",
      "o\\n9999999999999999999\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\\n|checkpoint tree size '9999999999999999999' is too large",
      "o\\n1\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\\n|checkpoint root hash 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I' is not the base64 of 32 bytes",
      "o\\n1\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\\n\\n|checkpoint extension line 4 is empty",
      "o\\n1\\nnot base64!\\n|checkpoint root hash 'not base64!' is not base64",
  })
  void rejectsMalformedBodiesPrecisely(String body, String message) {
    assertThatThrownBy(() -> Checkpoint.parse(body.replace("\\n", "\n"))).isInstanceOf(CheckpointException.class).hasMessage(message);
  }
}
