package org.trailbook.checkpoint;

import java.util.List;
import java.util.Optional;

/**
 * Every checkpoint one workspace's log ever signed, as one {@link Checkpoints} store keeps them:
 * append-only, tree sizes strictly increasing. {@link CheckpointStore} is the file one.
 */
public interface CheckpointLog extends AutoCloseable {
  /**
   * Appends the signed note of the checkpoint at {@code treeSize}, durably before it returns. A
   * treeSize not greater than every stored one, a negative one, or an empty or too large note
   * ({@link CheckpointStore#MAX_NOTE_BYTES}) throws {@link CheckpointException} and stores nothing.
   */
  void append(long treeSize, String signedNote);

  /** The signed note of the checkpoint with the largest treeSize. */
  Optional<String> latest();

  /** The signed note of the checkpoint at exactly {@code treeSize}. */
  Optional<String> atSize(long treeSize);

  /** Every stored treeSize, ascending. */
  List<Long> sizes();

  /** Releases what this handle holds (the file store's open file); the checkpoints stay stored. */
  @Override
  void close();

  /**
   * The rules of {@link #append} every store applies: refuses what may not follow {@code latestSize}
   * (-1 when there is none) and answers the note's UTF-8 bytes.
   */
  static byte[] checkAppend(long latestSize, long treeSize, String signedNote) {
    if (treeSize < 0) throw new CheckpointException("treeSize " + treeSize + " is negative");
    if (latestSize >= 0 && treeSize <= latestSize) {
      throw new CheckpointException("treeSize " + treeSize + " is not greater than the latest checkpoint's " + latestSize);
    }
    byte[] note = signedNote.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (note.length == 0 || note.length > CheckpointStore.MAX_NOTE_BYTES) {
      throw new CheckpointException("signed note of " + note.length + " bytes is empty or larger than " + CheckpointStore.MAX_NOTE_BYTES);
    }
    return note;
  }
}
