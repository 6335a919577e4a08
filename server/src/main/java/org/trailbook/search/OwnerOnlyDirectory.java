package org.trailbook.search;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.Lock;
import org.trailbook.OwnerOnly;

/**
 * The index's Lucene directory, whose files are set to 0600 as Lucene creates them. Lucene creates its files itself,
 * with the mode the process umask leaves (0644 or, under umask 000, 0666); that is safe because the index directory and
 * the data directory above it are 0700 (see {@link OwnerOnly}), and this wrapper makes each file owner-only as well, so a
 * copy of the directory (a backup, a tarball) keeps the files private. Renames keep the mode.
 */
final class OwnerOnlyDirectory extends FilterDirectory {
  private final Path dir;

  OwnerOnlyDirectory(Directory in, Path dir) {
    super(in);
    this.dir = dir;
  }

  @Override
  public IndexOutput createOutput(String name, IOContext context) throws IOException {
    return restricted(super.createOutput(name, context));
  }

  @Override
  public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
    return restricted(super.createTempOutput(prefix, suffix, context));
  }

  @Override
  public Lock obtainLock(String name) throws IOException {
    Lock lock = super.obtainLock(name);
    OwnerOnly.restrictFile(dir.resolve(name)); // write.lock: made by the lock factory, not by createOutput
    return lock;
  }

  private IndexOutput restricted(IndexOutput out) throws IOException {
    try {
      OwnerOnly.restrictFile(dir.resolve(out.getName()));
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
    return out;
  }
}
