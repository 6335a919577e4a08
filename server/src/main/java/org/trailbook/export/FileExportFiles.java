package org.trailbook.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Export outputs as files in {@code DIR/exports/}: written to {@code <id>.<ext>.part}, fsync'd, and
 * renamed to {@code <id>.<ext>} only when complete, so a file is never half-delivered. Leftover
 * {@code .part} files of an interrupted run are deleted when the directory is opened.
 */
public final class FileExportFiles implements ExportFiles {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FileExportFiles.class);
  private final Path dir;

  private FileExportFiles(Path dir) {
    this.dir = dir;
  }

  /** Opens {@code dir} (creating it owner-only) and deletes what interrupted writes left. */
  public static FileExportFiles open(Path dir) throws IOException {
    org.trailbook.OwnerOnly.directories(dir);
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) if (p.getFileName().toString().endsWith(".part")) Files.deleteIfExists(p);
    }
    return new FileExportFiles(dir);
  }

  @Override
  public long write(ExportJob job, Body body) throws IOException {
    Path part = dir.resolve(job.fileName() + ".part");
    try {
      long bytes;
      try (FileChannel ch = org.trailbook.OwnerOnly.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
          ExportWriting.CountingStream out = new ExportWriting.CountingStream(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16))) {
        body.writeTo(out);
        out.flush();
        ch.force(true);
        bytes = out.count;
      }
      Files.move(part, dir.resolve(job.fileName()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return bytes;
    } catch (IOException | RuntimeException | Error e) {
      deleteQuietly(part);
      throw e;
    }
  }

  @Override
  public Optional<Output> open(ExportJob job) throws IOException {
    Path f = dir.resolve(job.fileName());
    try {
      // opened first, sized after: a file deleted in between is still read whole through the open channel
      FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
      return Optional.of(new Output(ch.size(), Channels.newInputStream(ch)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void delete(ExportJob job) throws IOException {
    Files.deleteIfExists(dir.resolve(job.fileName()));
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", p, e.toString());
    }
  }
}
