package org.trailbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owner-only directories and files; the umask case is covered end to end by the server's DataDirectoryPermissionsTest. */
class OwnerOnlyTest {
  @TempDir Path tmp;

  @Test
  void createsEveryMissingDirectory0700AndLeavesExistingOnesAlone() throws Exception {
    Path existing = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));
    OwnerOnly.directories(existing.resolve("a/b/c"));
    for (String d : new String[] {"a", "a/b", "a/b/c"}) {
      assertThat(Files.getPosixFilePermissions(existing.resolve(d))).as(d).isEqualTo(OwnerOnly.DIRECTORY);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rwxr-xr-x");
    OwnerOnly.restrictDirectory(existing);
    assertThat(Files.getPosixFilePermissions(existing)).isEqualTo(OwnerOnly.DIRECTORY);
  }

  @Test
  void filesAreCreated0600AndAWiderFileOpenedForWritingIsRestricted() throws Exception {
    try (FileChannel ch = OwnerOnly.open(tmp.resolve("new"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      assertThat(ch.isOpen()).isTrue();
    }
    assertThat(Files.getPosixFilePermissions(tmp.resolve("new"))).isEqualTo(OwnerOnly.FILE);
    Path wide = Files.createFile(tmp.resolve("wide"));
    Files.setPosixFilePermissions(wide, PosixFilePermissions.fromString("rw-rw-rw-"));
    OwnerOnly.open(wide, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
    assertThat(Files.getPosixFilePermissions(wide)).isEqualTo(OwnerOnly.FILE);
    assertThat(Files.getPosixFilePermissions(OwnerOnly.tempFile(tmp, "t", ".tmp"))).isEqualTo(OwnerOnly.FILE);
    Path replaced = tmp.resolve("state.json");
    AtomicFiles.replace(replaced, new byte[] {1});
    assertThat(Files.getPosixFilePermissions(replaced)).isEqualTo(OwnerOnly.FILE);
  }
}
