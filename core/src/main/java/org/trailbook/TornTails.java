package org.trailbook;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Recovery cuts torn tails (a write a crash left unfinished, never acknowledged) but never destroys
 * them: the cut bytes go to a side file {@code <file>.torn-<UTC time>} beside the file, forced to
 * disk (file and directory) before the file is truncated, so a crash in between leaves both copies,
 * never neither. Side files are never read by Trailbook; an operator may inspect and delete them.
 */
public final class TornTails {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private TornTails() {}

  /**
   * Copies the bytes of {@code file} (open as {@code channel}, readable and writable) from {@code
   * offset} to its end into a new side file, forces it, then truncates {@code file} at {@code
   * offset} and forces that. Returns the side file, or null if there was nothing to cut.
   */
  public static Path cutKeeping(Path file, FileChannel channel, long offset, Clock clock) throws IOException {
    long cut = channel.size() - offset;
    if (cut <= 0) return null;
    Path side = sideFile(file, clock);
    try (FileChannel out = OwnerOnly.open(side, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long done = 0;
      while (done < cut) done += channel.transferTo(offset + done, cut - done, out);
      out.force(true);
    }
    AtomicFiles.syncDirectory(file.toAbsolutePath().getParent());
    channel.truncate(offset);
    channel.force(true);
    return side;
  }

  /** Renames a whole file aside (durably) instead of deleting it; returns the side file. */
  public static Path moveAside(Path file, Clock clock) throws IOException {
    Path side = sideFile(file, clock);
    Files.move(file, side, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.syncDirectory(file.toAbsolutePath().getParent());
    return side;
  }

  private static Path sideFile(Path file, Clock clock) throws IOException {
    String base = file.getFileName() + ".torn-" + STAMP.format(clock.instant());
    for (int n = 0; n < 1000; n++) {
      Path side = file.resolveSibling(n == 0 ? base : base + "-" + n);
      if (!Files.exists(side)) return side;
    }
    throw new FileAlreadyExistsException(file.resolveSibling(base).toString());
  }
}
