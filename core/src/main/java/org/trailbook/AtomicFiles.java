package org.trailbook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Small files written so that a crash leaves either the old content or the new, never a mix: a
 * temporary file in the same directory, fsync'd, renamed over the target, then the directory
 * fsync'd so the rename itself is durable.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Replaces {@code file}'s content with {@code bytes}. */
  public static void replace(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    OwnerOnly.directories(dir);
    Path temp = OwnerOnly.tempFile(dir, "." + file.getFileName(), ".tmp"); // 0600: the rename keeps it
    try {
      write(temp, bytes);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(dir);
  }

  /**
   * Creates {@code file} readable by its owner only, holding {@code bytes} — for secrets. Returns
   * false, writing nothing, if the file exists already (another process won the race).
   */
  public static boolean createSecret(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    OwnerOnly.directories(dir);
    Path temp = OwnerOnly.tempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      write(temp, bytes);
      if (Files.exists(file)) return false;
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(dir);
    return true;
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) ch.write(b);
      ch.force(true);
    }
  }

  /** Makes a rename or a new file in {@code dir} durable. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
