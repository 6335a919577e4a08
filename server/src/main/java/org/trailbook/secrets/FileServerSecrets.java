package org.trailbook.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.AtomicFiles;
import org.trailbook.OwnerOnly;

/**
 * Secrets as owner-only files in a directory ({@code DIR/keys}), one line each: created atomically
 * (temporary file, fsync, rename; a concurrent creator's file stands), read back on every start.
 */
public final class FileServerSecrets implements ServerSecrets {
  private static final Logger log = LoggerFactory.getLogger(FileServerSecrets.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private final Path dir;

  public FileServerSecrets(Path dir) {
    this.dir = dir;
  }

  @Override
  public String getOrCreate(String name, Supplier<String> create) {
    if (name.isEmpty() || name.contains("/") || name.startsWith(".")) throw new IllegalArgumentException("not a secret's name: " + name);
    Path file = dir.resolve(name);
    try {
      if (!Files.exists(file)) {
        OwnerOnly.directories(dir);
        AtomicFiles.createSecret(file, (create.get() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      warnIfWide(file);
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the secret " + file, e);
    }
  }

  private static void warnIfWide(Path file) throws IOException {
    if (!Files.getFileStore(file).supportsFileAttributeView("posix")) return;
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(permissions)) {
      log.warn("secret file {} is readable or writable by others ({}): restrict it to its owner", file, PosixFilePermissions.toString(permissions));
    }
  }
}
