package org.trailbook.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.trailbook.AtomicFiles;
import org.trailbook.OwnerOnly;
import org.trailbook.TrailbookException;
import org.trailbook.journal.JournalBackup;

/**
 * {@code trailbook backup}: a consistent copy of a data directory, taken while the server runs.
 *
 * <p>Order matters. Checkpoints are copied first and the journal last, so every checkpoint in the
 * copy is of a size the copied journal reaches. The journal is copied up to a committed point
 * ({@link JournalBackup}); the small state files (workspaces and keys, signing keys, views, page
 * sessions) are replaced atomically by the server, so each copy is one whole version. Derived data
 * (Merkle tree files, the search index) is left out: a server started on the copy rebuilds it from
 * the journal. Finished export files are left out too: they are short-lived downloads.
 */
public final class DataBackup {
  /** Top-level entries that are not copied: the journal (copied its own way), derived data, exports, the lock. */
  private static final Set<String> SKIPPED = Set.of("journal", "index", "tree", "exports", ".lock");

  private DataBackup() {}

  /** What the backup holds. */
  public record Result(long entries, int segments, long journalBytes, Path to) {}

  public static Result backup(Path data, Path to) {
    if (!Files.isDirectory(data.resolve("journal"))) {
      throw new TrailbookException(data.toAbsolutePath() + " is not a Trailbook data directory (it has no journal/ folder)");
    }
    try {
      if (Files.exists(to) && !(Files.isDirectory(to) && isEmpty(to))) {
        throw new TrailbookException(to.toAbsolutePath() + " already exists and is not an empty directory: back up to a new place");
      }
      OwnerOnly.directories(to);
      OwnerOnly.restrictDirectory(to);
      copyTree(data.resolve("checkpoints"), to.resolve("checkpoints"));
      try (Stream<Path> top = Files.list(data)) {
        for (Path p : top.sorted().toList()) {
          String name = p.getFileName().toString();
          if (SKIPPED.contains(name) || name.equals("checkpoints")) continue;
          copyTree(p, to.resolve(name));
        }
      }
      JournalBackup.Copied journal = JournalBackup.copy(data.resolve("journal"), to.resolve("journal"));
      AtomicFiles.syncDirectory(to.resolve("journal"));
      AtomicFiles.syncDirectory(to);
      return new Result(journal.entries(), journal.segments(), journal.bytes(), to);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot back up " + data + " to " + to + ": " + e.getMessage(), e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (!Files.exists(from)) return;
    List<Path> all;
    try (Stream<Path> walk = Files.walk(from)) {
      all = walk.toList();
    }
    for (Path p : all) {
      Path target = to.resolve(from.relativize(p).toString());
      if (Files.isDirectory(p)) {
        OwnerOnly.directories(target);
      } else if (Files.isRegularFile(p) && !p.getFileName().toString().endsWith(".tmp")) {
        // a *.tmp file is a state file being replaced: the file it replaces is the version to copy
        try {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (java.nio.file.NoSuchFileException replacedMeanwhile) {
          continue; // replaced by rename since the walk: only temp files go away like this
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(target, java.nio.file.StandardOpenOption.WRITE)) {
          ch.force(true);
        }
      }
    }
    for (Path p : all) if (Files.isDirectory(p)) AtomicFiles.syncDirectory(to.resolve(from.relativize(p).toString()));
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
