package org.trailbook.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R2 finds libfaketime where Debian puts it, and without it fails at once, naming the package to install. */
class FaketimeTest {
  @TempDir Path root;

  @Test
  void theLibraryIsFoundUnderItsMultiarchDirectory() throws Exception {
    Path lib = Files.createDirectories(root.resolve("x86_64-linux-gnu/faketime")).resolve(Faketime.LIBRARY);
    Files.writeString(lib, "");

    assertThat(Faketime.library(List.of(root.resolve("absent"), root))).isEqualTo(lib);
    assertThat(Faketime.environment(lib, 40)).containsEntry("LD_PRELOAD", lib.toString()).containsEntry("FAKETIME", "+40d")
        .doesNotContainKey("FAKETIME_DONT_FAKE_MONOTONIC");
  }

  @Test
  void withoutTheLibraryR2FailsNamingThePackage() {
    assertThatThrownBy(() -> Faketime.library(List.of(root)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("install the Debian package 'faketime'");
  }
}
