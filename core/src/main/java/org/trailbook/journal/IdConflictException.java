package org.trailbook.journal;

import org.trailbook.ConflictException;

/**
 * An event id that is already taken by a different event: stored at {@link #seq} (or, when {@code seq} is -1, sent
 * earlier in the same batch at {@link #earlierIndex}). The whole batch that carried it was refused: nothing of it is
 * stored. Answered with 409 {@code id_conflict}.
 */
public final class IdConflictException extends ConflictException {
  private final String id;
  private final long seq;
  private final int index;
  private final int earlierIndex;

  private IdConflictException(String message, String id, long seq, int index, int earlierIndex) {
    super(message);
    this.id = id;
    this.seq = seq;
    this.index = index;
    this.earlierIndex = earlierIndex;
  }

  /** Event {@code index} of the batch reuses the id of the entry stored at {@code seq}. */
  static IdConflictException stored(String id, long seq, int index) {
    return new IdConflictException("an event with id '" + id + "' is already stored at seq " + seq
        + " with different content; nothing of this batch was stored", id, seq, index, -1);
  }

  /** Events {@code earlierIndex} and {@code index} of one batch share an id but differ. */
  static IdConflictException inBatch(String id, int earlierIndex, int index) {
    return new IdConflictException("events " + earlierIndex + " and " + index + " of this batch have the id '" + id
        + "' but different content; nothing of this batch was stored", id, -1, index, earlierIndex);
  }

  /** The id (ids are restricted to URL- and log-safe characters, so it may be echoed). */
  public String id() {
    return id;
  }

  /** Where the event holding the id is stored, or -1 for a conflict within the batch. */
  public long seq() {
    return seq;
  }

  /** The position in the batch of the event that was refused. */
  public int index() {
    return index;
  }

  /** For a conflict within the batch, the position of the first event with the id; else -1. */
  public int earlierIndex() {
    return earlierIndex;
  }
}
