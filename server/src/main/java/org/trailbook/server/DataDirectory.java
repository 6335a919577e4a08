package org.trailbook.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.trailbook.OwnerOnly;
import org.trailbook.TrailbookException;

/**
 * The data directory, held with an exclusive lock so two servers never write one journal.
 *
 * <pre>
 * DIR/journal/   the write-ahead segments: the source of truth
 * DIR/access/    workspaces and hashed keys
 * DIR/views/     saved views
 * DIR/keys/       the log's Ed25519 signing key (log.key, secret) and verifier key (log.pub)
 * DIR/checkpoints/&lt;workspace&gt;/  every signed checkpoint of a workspace log
 * DIR/tree/&lt;workspace&gt;/         a workspace's Merkle tree nodes (derived from the journal)
 * DIR/index/     the Lucene search index (derived: rebuilt from the journal when missing, corrupt or behind)
 * DIR/exports/   export jobs: &lt;id&gt;.job.json (state, replaced atomically) and their finished files, kept for the export retention
 * DIR/views/     saved views of the web page
 * (derived data, rebuilt from the journal when missing, lives beside them)
 * </pre>
 *
 * The directory is 0700 and everything the server writes in it is created owner-only ({@link OwnerOnly}): 0700
 * directories, 0600 files, whatever the process umask.
 *
 * Every file in it names its format and version (docs/adr/0002-file-format-versions.md).
 */
public final class DataDirectory implements AutoCloseable {
  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  public static DataDirectory lock(Path root) {
    try {
      // 0700, even if it existed wider (made by hand or by an older version): nothing inside is then reachable by
      // other users, files a library creates with the umask's mode included (the Lucene index)
      OwnerOnly.directories(root);
      OwnerOnly.restrictDirectory(root);
      FileChannel ch = OwnerOnly.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        l = null; // held by this very process
      }
      if (l == null) {
        ch.close();
        throw new TrailbookException("the data directory " + root.toAbsolutePath() + " is in use by another Trailbook process");
      }
      return new DataDirectory(root, ch, l);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the data directory " + root.toAbsolutePath(), e);
    }
  }

  public Path root() {
    return root;
  }

  public Path journal() {
    return root.resolve("journal");
  }

  public Path access() {
    return root.resolve("access");
  }

  public Path keys() {
    return root.resolve("keys");
  }

  public Path checkpoints() {
    return root.resolve("checkpoints");
  }

  public Path tree() {
    return root.resolve("tree");
  }

  public Path index() {
    return root.resolve("index");
  }

  public Path exports() {
    return root.resolve("exports");
  }

  /** Page sessions and used sign-in links ({@code sessions.json}). */
  public Path sessions() {
    return root.resolve("sessions");
  }

  @Override
  public void close() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException ignored) {
      // the lock goes with the process anyway
    }
  }
}
