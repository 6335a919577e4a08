package org.trailbook.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trailbook.OwnerOnly;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.integrity.LogIntegrity;
import org.trailbook.journal.EventStore;
import org.trailbook.verify.ArchiveVerifier;

/**
 * Archives a range of a workspace's log before retention purges it: writes the archive file (core {@code
 * archive.ArchiveWriter}) proven against the latest signed checkpoint that covers the range, into a staging file in
 * the data directory; checks it with the offline verifier and the log's own key (so a file that would not verify is
 * never stored); puts it on the {@link ArchiveTarget}; and returns its {@link ArchiveRef}. Memory stays constant
 * whatever the range's size. Safe to call from several threads (each call has its own staging file).
 */
public final class Archiver {
  private static final Logger log = LoggerFactory.getLogger(Archiver.class);

  private final EventStore store;
  private final LogIntegrity integrity;
  private final ArchiveTarget target;
  private final Path staging;
  private final Clock clock;

  /** @param staging a directory of the node's own (created owner-only) for files on their way to the target */
  public Archiver(EventStore store, LogIntegrity integrity, ArchiveTarget target, Path staging, Clock clock) {
    this.store = store;
    this.integrity = integrity;
    this.target = target;
    this.staging = staging;
    this.clock = clock;
  }

  public ArchiveTarget target() {
    return target;
  }

  /**
   * Archives {@code workspace}'s seqs {@code [fromSeq, toSeq)}, proven against the latest signed checkpoint covering
   * {@code toSeq - 1} (one is signed first if none does yet): every entry still stored whole, and for a seq below the
   * purge horizon whose entry an earlier purge removed, its leaf hash (so the kept access trail below the horizon can
   * be archived before a later purge drops it: archive from 0 or from its first kept seq). An archive of the same
   * range already on the target that verifies is kept and answered (a purger that crashed after archiving, a
   * write-once bucket); one that does not is replaced.
   *
   * @throws ArchiveException when the range is bad, an entry above the horizon is missing, the file does not verify,
   *     or the target fails: then nothing of the range may be purged. Other {@link org.trailbook.TrailbookException}s
   *     come from the proof side as they are (e.g. {@code OverloadedException} while the tree catches up, a refused
   *     workspace): the same rule holds
   */
  public ArchiveRef archive(String workspace, long fromSeq, long toSeq) {
    if (fromSeq < 0 || toSeq <= fromSeq) throw new ArchiveException("cannot archive the empty or negative range [" + fromSeq + ", " + toSeq + ")");
    long size = store.size(workspace);
    if (toSeq > size) throw new ArchiveException("cannot archive [" + fromSeq + ", " + toSeq + ") of workspace '" + workspace + "': its log has " + size + " entries");
    Path file = null;
    try {
      String name = ArchiveFormat.fileName(fromSeq, toSeq);
      ArchiveRef kept = existing(workspace, name);
      if (kept != null) return kept;
      LogIntegrity.EntryProof covering = integrity.proofFor(workspace, toSeq - 1);
      file = OwnerOnly.tempFile(OwnerOnly.directories(staging), workspace + "-", ".part");
      try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
        org.trailbook.archive.ArchiveWriter.write(out, store, workspace, fromSeq, toSeq, covering.checkpoint(), new ProvenNodes(integrity, workspace),
            clock.instant());
      }
      ArchiveVerifier.Result check = ArchiveVerifier.verify(file, NoteVerifier.parse(integrity.verifierKey()));
      if (!check.ok()) throw new ArchiveException("the archive written for " + workspace + " [" + fromSeq + ", " + toSeq + ") does not verify: " + check.failure());
      long bytes = Files.size(file);
      String location = target.put(workspace, name, file);
      ArchiveRef ref = new ArchiveRef(workspace, fromSeq, toSeq, toSeq - fromSeq, check.entriesChecked(), check.treeSize(), location,
          check.sha256(), bytes);
      log.info("archived {} entries of workspace {} [{}, {}) to {} ({} bytes, sha256 {})", ref.count(), workspace, fromSeq, toSeq, location, bytes, ref.sha256());
      return ref;
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new ArchiveException("cannot archive " + workspace + " [" + fromSeq + ", " + toSeq + ") to " + target.describe() + ": " + e.getMessage(), e);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new ArchiveException("cannot archive " + workspace + " [" + fromSeq + ", " + toSeq + "): " + e.getMessage(), e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          log.warn("cannot delete the staging file {}: {}", file, e.getMessage());
        }
      }
    }
  }

  /**
   * The archive of this name already on the target, if it verifies with the log's key (a purger that crashed after
   * archiving, or a write-once bucket that refuses to replace an object): it is kept as it is, with the SHA-256 of
   * its bytes. One that does not verify is logged and written again.
   */
  private ArchiveRef existing(String workspace, String name) throws IOException {
    ArchiveTarget.Stored stored = target.list(workspace).stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    if (stored == null) return null;
    ArchiveVerifier.Result check;
    try (InputStream in = target.open(workspace, name)) {
      check = ArchiveVerifier.verify(in, NoteVerifier.parse(integrity.verifierKey()));
    }
    if (!check.ok()) {
      log.warn("the archive {} on the target does not verify ({}): writing it again", stored.location(), check.failure());
      return null;
    }
    log.info("archive {} is on the target already and verifies: kept", stored.location());
    return new ArchiveRef(workspace, check.fromSeq(), check.toSeq(), check.toSeq() - check.fromSeq(), check.entriesChecked(), check.treeSize(),
        stored.location(), check.sha256(), stored.bytes());
  }
}
