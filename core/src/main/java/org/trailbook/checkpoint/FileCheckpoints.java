package org.trailbook.checkpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded {@link Checkpoints}: {@code <root>/<workspace>/checkpoints}, one {@link
 * CheckpointStore} per workspace, opened on first use and kept open until its handle or this is closed.
 */
public final class FileCheckpoints implements Checkpoints {
  private final Path root;
  private final Map<String, CheckpointStore> open = new ConcurrentHashMap<>();

  private FileCheckpoints(Path root) {
    this.root = root;
  }

  /** The checkpoints under {@code root} (e.g. {@code DIR/checkpoints}); nothing is read until a workspace's are asked for. */
  public static FileCheckpoints open(Path root) {
    return new FileCheckpoints(root);
  }

  @Override
  public CheckpointLog log(String workspace) {
    CheckpointStore store = open.computeIfAbsent(workspace, ws -> CheckpointStore.open(root.resolve(ws)));
    return new Handle(workspace, store);
  }

  @Override
  public void close() {
    CheckpointException failed = null;
    for (String ws : List.copyOf(open.keySet())) {
      CheckpointStore store = open.remove(ws);
      try {
        if (store != null) store.close();
      } catch (CheckpointException e) {
        if (failed == null) failed = e;
        else failed.addSuppressed(e);
      }
    }
    if (failed != null) throw failed;
  }

  /** A workspace's store; closing it closes the file (the next {@link #log} opens it again). */
  private final class Handle implements CheckpointLog {
    private final String workspace;
    private final CheckpointStore store;

    Handle(String workspace, CheckpointStore store) {
      this.workspace = workspace;
      this.store = store;
    }

    @Override
    public void append(long treeSize, String signedNote) {
      store.append(treeSize, signedNote);
    }

    @Override
    public Optional<String> latest() {
      return store.latest();
    }

    @Override
    public Optional<String> atSize(long treeSize) {
      return store.atSize(treeSize);
    }

    @Override
    public List<Long> sizes() {
      return store.sizes();
    }

    @Override
    public void close() {
      if (open.remove(workspace, store)) store.close();
    }
  }
}
