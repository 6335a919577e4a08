package org.trailbook.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.trailbook.OwnerOnly;

/**
 * Archives in a directory (local disk, NFS, a mounted bucket): {@code <root>/<workspace>/<name>}, owner-only. A put
 * copies to {@code <name>.part}, fsyncs it, renames it over the name and fsyncs the directory, so a crash leaves the
 * old archive or the new one, never a torn one under the real name.
 */
public final class DirectoryTarget implements ArchiveTarget {
  private final Path root;

  public DirectoryTarget(Path root) {
    this.root = root.toAbsolutePath().normalize();
    try {
      OwnerOnly.directories(this.root);
    } catch (IOException e) {
      throw new ArchiveException("cannot create the archive directory " + this.root + ": " + e.getMessage(), e);
    }
    if (!Files.isWritable(this.root)) throw new ArchiveException("the archive directory " + this.root + " is not writable");
  }

  @Override
  public String put(String workspace, String name, Path file) throws IOException {
    Path target = path(workspace, name);
    Path dir = OwnerOnly.directories(target.getParent());
    Path part = dir.resolve(name + ".part");
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        FileChannel out = OwnerOnly.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      long size = in.size();
      for (long done = 0; done < size; ) done += in.transferTo(done, size - done, out);
      out.force(true);
    }
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(dir);
    return location(target);
  }

  @Override
  public List<Stored> list(String workspace) throws IOException {
    ArchiveTarget.checkSegment("workspace", workspace);
    Path dir = root.resolve(workspace);
    if (!Files.isDirectory(dir)) return List.of();
    List<Stored> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(ArchiveFormat.SUFFIX) && Files.isRegularFile(p)) out.add(new Stored(workspace, name, Files.size(p), location(p)));
      }
    }
    return out;
  }

  @Override
  public InputStream open(String workspace, String name) throws IOException {
    Path p = path(workspace, name);
    if (!Files.isRegularFile(p)) throw new NoSuchFileException(location(p));
    return Files.newInputStream(p);
  }

  @Override
  public String describe() {
    return root.toUri().toString();
  }

  @Override
  public void close() {
    // nothing held open
  }

  private Path path(String workspace, String name) {
    ArchiveTarget.checkSegment("workspace", workspace);
    ArchiveTarget.checkSegment("archive name", name);
    return root.resolve(workspace).resolve(name);
  }

  private static String location(Path p) {
    return p.toUri().toString();
  }

  /** Makes the rename durable; file systems that cannot open a directory (some network ones) are left to their own rules. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // not supported here (e.g. some NFS or FUSE mounts): the rename is as durable as the file system makes it
    }
  }
}
