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

  @Test
  void aPageStartsRightAfterItsSeqWhateverTheLinesLengthsAndGaps() throws IOException {
    java.util.Random random = new java.util.Random(13);
    java.util.List<String> entries = new java.util.ArrayList<>();
    java.util.List<Long> written = new java.util.ArrayList<>();
    for (long seq = 3; seq < 400; seq += 1 + random.nextInt(3)) { // gaps: seqs purged before the archive
      String pad = "\"pad\":\"" + "x".repeat(random.nextInt(10) == 0 ? 9000 + random.nextInt(9000) : random.nextInt(200)) + "\",";
      entries.add(entry("acme", seq, "a.b", "x", pad));
      written.add(seq);
    }
    restore(openViews(), view("acme", B, 0, 400, entries.size()), entries);
    RestoredViews views = openViews();
    for (long after = -1; after <= 401; after++) {
      long a = after;
      List<Long> expected = written.stream().filter(s -> s > a).limit(3).toList();
      assertThat(seqs(views.find("acme", all(after, 3)))).as("after %d", after).isEqualTo(expected);
    }
    // the lines before a page are not read: spoil the first one (same length, so offsets stay) and page deep
    Path file = dir.resolve("acme").resolve("00000000000000000010-00000000000000000020.entries.ndjson");
    byte[] bytes = Files.readAllBytes(file);
    for (int i = 0; bytes[i] != '\n'; i++) bytes[i] = '#';
    Files.write(file, bytes);
    assertThat(seqs(openViews().find("acme", all(300, 2)))).isEqualTo(written.stream().filter(s -> s > 300).limit(2).toList());
  }
}
