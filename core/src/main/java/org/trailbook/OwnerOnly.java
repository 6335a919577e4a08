package org.trailbook;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Creates the server's directories (mode 0700) and files (mode 0600) readable by the server's own user only, whatever
 * the process umask: the log holds audit data and secrets' neighbours, and a umask of 000 (some containers, some
 * service managers) would otherwise make them world-readable. The mode is given at creation, so the file is never
 * wider than 0600 (0700) even for a moment, and then set exactly, so a stricter umask cannot leave the server unable
 * to reopen what it wrote. On file systems without POSIX permissions nothing is set.
 */
public final class OwnerOnly {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OwnerOnly.class);
  /** {@code rwx------}. */
  public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  /** {@code rw-------}. */
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private OwnerOnly() {}

  /** Creates {@code dir} and its missing parents as 0700 directories; existing ones are left as they are. */
  public static Path directories(Path dir) throws IOException {
    Path p = dir.toAbsolutePath();
    Deque<Path> missing = new ArrayDeque<>();
    while (p != null && !Files.isDirectory(p)) {
      missing.push(p);
      p = p.getParent();
    }
    while (!missing.isEmpty()) {
      Path d = missing.pop();
      boolean posix = posix(d.getParent());
      try {
        Files.createDirectory(d, posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIRECTORY)} : new FileAttribute<?>[0]);
        if (posix) Files.setPosixFilePermissions(d, DIRECTORY);
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(d)) throw e; // another thread made it: fine; a file in the way is not
      }
    }
    return dir;
  }

  /**
   * Sets {@code dir} (which exists) to 0700, e.g. a data directory made by an older version or by hand. Best effort: a
   * directory the server may use but not change (another owner) is logged, not refused.
   */
  public static void restrictDirectory(Path dir) throws IOException {
    if (posix(dir)) tighten(dir, DIRECTORY);
  }

  /**
   * {@link FileChannel#open} that creates a missing file as 0600 ({@code options} must include {@code CREATE} or
   * {@code CREATE_NEW}); a file the server opens for writing is set to 0600 even if it existed with a wider mode.
   */
  public static FileChannel open(Path file, OpenOption... options) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    boolean posix = posix(parent);
    Set<OpenOption> opts = Set.of(options);
    boolean existed = Files.exists(file);
    FileChannel ch = posix ? FileChannel.open(file, opts, PosixFilePermissions.asFileAttribute(FILE)) : FileChannel.open(file, opts);
    try {
      if (posix && !existed) Files.setPosixFilePermissions(file, FILE); // ours: must succeed
      else if (posix && opts.contains(StandardOpenOption.WRITE)) tighten(file, FILE);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    return ch;
  }

  /** {@link Files#createTempFile(Path, String, String, FileAttribute[])} as 0600. */
  public static Path tempFile(Path dir, String prefix, String suffix) throws IOException {
    boolean posix = posix(dir);
    Path temp = posix ? Files.createTempFile(dir, prefix, suffix, PosixFilePermissions.asFileAttribute(FILE)) : Files.createTempFile(dir, prefix, suffix);
    if (posix) Files.setPosixFilePermissions(temp, FILE);
    return temp;
  }

  /** Sets a file someone else created for the server (e.g. a library) to 0600. */
  public static void restrictFile(Path file) throws IOException {
    if (posix(file)) Files.setPosixFilePermissions(file, FILE);
  }

  /** Sets an existing file or directory's mode if it is wider; one the server cannot change (another owner) is logged. */
  private static void tighten(Path p, Set<PosixFilePermission> mode) throws IOException {
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(p);
    if (mode.containsAll(now)) return;
    try {
      Files.setPosixFilePermissions(p, mode);
    } catch (java.nio.file.FileSystemException e) { // EPERM: another owner
      log.warn("{} is {}, readable or writable by other users, and cannot be restricted to {}: {}", p, PosixFilePermissions.toString(now),
          PosixFilePermissions.toString(mode), e.getMessage());
    }
  }

  private static boolean posix(Path existing) throws IOException {
    return existing != null && Files.getFileStore(existing).supportsFileAttributeView("posix");
  }
}
