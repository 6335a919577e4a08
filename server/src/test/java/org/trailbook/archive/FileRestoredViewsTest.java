package org.trailbook.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restored-views contract against files in the data directory (each {@link #openViews} as after a restart), and the files. */
class FileRestoredViewsTest extends RestoredViewsContract {
  @TempDir Path dir;

  @Override
  protected RestoredViews openViews() {
    return new FileRestoredViews(dir);
  }

  @Test
  void aViewIsTwoOwnerOnlyFilesAndEntriesWithoutTheirDescriptionAreNoView() throws IOException {
    restore(openViews(), view("acme", B, 10, 20, 1), List.of(entry("acme", 10, "a.b", "x", "")));
    Path entries = dir.resolve("acme").resolve("00000000000000000010-00000000000000000020.entries.ndjson");
    Path meta = dir.resolve("acme").resolve("00000000000000000010-00000000000000000020.json");
    assertThat(Files.readString(entries)).isEqualTo(entry("acme", 10, "a.b", "x", "") + "\n");
    assertThat(Files.readString(meta)).contains("\"format\":\"trailbook.restored\"", "\"version\":1");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entries))).isEqualTo("rw-------");
    try (var files = Files.list(dir.resolve("acme"))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
    }
    Files.delete(meta); // a crash between the rename of the entries and the description
    assertThat(openViews().views("acme")).isEmpty();
    assertThat(openViews().find("acme", all(-1, 10)).entries()).isEmpty();
  }
}
