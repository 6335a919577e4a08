package org.trailbook.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.trailbook.AtomicFiles;
import org.trailbook.FileFormat;
import org.trailbook.OwnerOnly;
import org.trailbook.merkle.Hash;

/**
 * The leaf hashes of a workspace's purged prefix: {@code purged-leaves/<workspace>.leaves} in the
 * journal directory, a {@link FileFormat} header ("trailbook.leaves" v1) then 32 bytes per seq from
 * seq 0, in seq order. Only the first {@code horizon} hashes count ({@link PurgeManifest} holds the
 * horizon): a purge appends the hashes of {@code [old horizon, new horizon)} and forces them before
 * its commit point, so bytes beyond the committed horizon are what a crashed purge left; they are
 * cut at open and overwritten by the next purge.
 */
public final class PurgedLeaves {
  static final String DIR = "purged-leaves";
  static final FileFormat FORMAT = new FileFormat("trailbook.leaves", 1);
  private static final int CHUNK = 1 << 15; // hashes written per system call (1 MiB)
  private static final int FORCE_CHUNKS = 8;

  private PurgedLeaves() {}

  static Path file(Path journalDir, String workspace) {
    // workspace ids are [a-z0-9][a-z0-9-]{0,62} (access.Workspace.ID): safe as a file name; anything else is refused
    if (!workspace.matches("[a-z0-9][a-z0-9-]{0,63}")) throw new IllegalArgumentException("workspace id '" + workspace + "' cannot name a leaf file");
    return journalDir.resolve(DIR).resolve(workspace + ".leaves");
  }

  /** Supplies the leaf hash of each seq in turn. */
  interface Source {
    Hash leaf(long seq);
  }

  /**
   * Writes the hashes of seqs {@code [from, to)} after the first {@code from} and forces them;
   * returns the hash of seq {@code to - 1}. Nothing of it counts until the manifest commits {@code to}.
   */
  static Hash append(Path journalDir, String workspace, long from, long to, Source source) throws IOException {
    Path file = file(journalDir, workspace);
    OwnerOnly.directories(file.getParent());
    boolean created = !Files.exists(file);
    Hash last = null;
    try (FileChannel ch = created
        ? OwnerOnly.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
        : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      int header = header(file, ch, created);
      long at = header + from * Hash.SIZE;
      if (ch.size() < at) throw new JournalCorruptedException(file + " holds fewer leaf hashes than the purge horizon " + from);
      ch.truncate(at); // what a crashed purge left beyond the committed horizon
      ByteBuffer buf = ByteBuffer.allocate(CHUNK * Hash.SIZE);
      int chunks = 0;
      for (long seq = from; seq < to; seq++) {
        last = source.leaf(seq);
        buf.put(last.toBytes());
        if (!buf.hasRemaining() || seq == to - 1) {
          buf.flip();
          while (buf.hasRemaining()) at += ch.write(buf, at);
          buf.clear();
          // forced every 8 MiB, not only at the end: the journal writer's fsyncs wait for dirty data (see SegmentCompactor)
          if (++chunks % FORCE_CHUNKS == 0) ch.force(false);
        }
      }
      ch.force(true);
    }
    if (created) AtomicFiles.syncDirectory(file.getParent());
    return last;
  }

  private static int header(Path file, FileChannel ch, boolean created) throws IOException {
    if (created || ch.size() == 0) {
      ByteBuffer b = ByteBuffer.wrap(FORMAT.header());
      while (b.hasRemaining()) ch.write(b, b.position());
      return FORMAT.headerLength();
    }
    return switch (FORMAT.probe(file, ch)) {
      case FileFormat.Headed h -> h.length();
      case FileFormat.Headerless h -> throw new JournalCorruptedException(file + " has no trailbook.leaves header");
      case FileFormat.Damaged d -> throw new JournalCorruptedException(file + ": " + d.problem());
    };
  }

  /** The hashes of seqs {@code [from, to)}, 32 bytes each ({@code to} at most the committed horizon: not checked here). */
  public static byte[] read(Path journalDir, String workspace, long from, long to) {
    Path file = file(journalDir, workspace);
    byte[] out = new byte[Math.toIntExact((to - from) * Hash.SIZE)];
    if (out.length == 0) return out;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.wrap(out);
      long at = FORMAT.headerLength() + from * Hash.SIZE;
      while (b.hasRemaining()) {
        if (ch.read(b, at + b.position()) < 0) throw new JournalCorruptedException(file + " ends before the leaf hash of seq " + (from + b.position() / Hash.SIZE));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * At open: cuts every leaf file to its committed horizon (what a crashed purge appended beyond it)
   * and refuses a file shorter than its horizon.
   */
  static void cut(Path journalDir, Map<String, Long> horizons) throws IOException {
    for (var e : horizons.entrySet()) {
      Path file = file(journalDir, e.getKey());
      long committed = FORMAT.headerLength() + e.getValue() * Hash.SIZE;
      if (e.getValue() == 0) continue;
      if (!Files.exists(file) || Files.size(file) < committed) {
        throw new JournalCorruptedException("journal damaged: " + file + " holds fewer leaf hashes than the purge horizon " + e.getValue()
            + " of workspace " + e.getKey() + "; run 'trailbook verify' and restore from a backup");
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        if (!(FORMAT.probe(file, ch) instanceof FileFormat.Headed)) throw new JournalCorruptedException(file + " has a damaged trailbook.leaves header");
        if (ch.size() > committed) {
          ch.truncate(committed);
          ch.force(true);
        }
      }
    }
  }
}
