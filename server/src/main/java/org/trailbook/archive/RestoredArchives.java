package org.trailbook.archive;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import org.trailbook.checkpoint.NoteVerifier;
import org.trailbook.verify.ArchiveVerifier;

/**
 * Restored views: an archive brought back from the target as a read-only, searchable view of its workspace, beside
 * the live log and never part of it. A restore reads the archive from the target and verifies it with the log's key
 * in the same pass that copies its entries into a {@link RestoredViews.Draft}; only if it verifies is the draft
 * committed, which is what makes it a restored view. Where views live is the {@link RestoredViews} given: the node's
 * data directory (embedded store) or the PostgreSQL store, where every node lists, searches and drops the same views.
 * Reads return entries in seq order a page at a time, each marked as restored, with the archive it came from.
 */
public final class RestoredArchives {
  private final RestoredViews views;
  private final ArchiveTarget target;
  private final NoteVerifier key;
  private final Clock clock;

  public RestoredArchives(RestoredViews views, ArchiveTarget target, NoteVerifier key, Clock clock) {
    this.views = views;
    this.target = target;
    this.key = key;
    this.clock = clock;
  }

  /**
   * Restores the archive {@code name} of {@code workspace} from the target, replacing a view of it restored before.
   *
   * @throws java.nio.file.NoSuchFileException if the target has no such archive
   * @throws ArchiveException if it does not verify (nothing is kept) or is not of this workspace
   */
  public synchronized RestoredViews.View restore(String workspace, String name) throws IOException {
    checkNames(workspace, name);
    if (!name.endsWith(ArchiveFormat.SUFFIX)) throw new IllegalArgumentException("archive name '" + name + "' does not end in " + ArchiveFormat.SUFFIX);
    try (InputStream in = target.open(workspace, name); RestoredViews.Draft draft = views.begin(workspace, name)) {
      ArchiveVerifier.Result result = ArchiveVerifier.verify(in, key, draft::add);
      if (!result.ok()) throw new ArchiveException("the archive " + name + " of " + workspace + " does not verify, nothing was restored: " + result.failure());
      if (!workspace.equals(result.workspace())) {
        throw new ArchiveException("the archive " + name + " holds workspace '" + result.workspace() + "', not '" + workspace + "'");
      }
      RestoredViews.View view = new RestoredViews.View(workspace, name, locationOf(workspace, name),
          result.fromSeq(), result.toSeq(), result.entriesChecked(), result.treeSize(), clock.instant().toString());
      draft.commit(view);
      return view;
    }
  }

  /** Drops a restored view (the archive on the target stays); false if there was none. */
  public synchronized boolean drop(String workspace, String name) throws IOException {
    checkNames(workspace, name);
    return views.drop(workspace, name);
  }

  /** The workspace's restored views, in seq order. */
  public List<RestoredViews.View> views(String workspace) throws IOException {
    ArchiveTarget.checkSegment("workspace", workspace);
    return views.views(workspace);
  }

  /** Finds entries in the workspace's restored views, in seq order. */
  public RestoredViews.Page search(String workspace, RestoredViews.Query query) throws IOException {
    ArchiveTarget.checkSegment("workspace", workspace);
    return views.find(workspace, query);
  }

  private static void checkNames(String workspace, String name) {
    ArchiveTarget.checkSegment("workspace", workspace);
    ArchiveTarget.checkSegment("archive name", name);
  }

  private String locationOf(String workspace, String name) throws IOException {
    for (ArchiveTarget.Stored s : target.list(workspace)) if (s.name().equals(name)) return s.location();
    return target.describe() + workspace + "/" + name;
  }
}
