package org.trailbook.journal;

import java.nio.charset.StandardCharsets;

/**
 * An entry ready to be sequenced: its canonical bytes with two holes, for {@code prev_hash} and
 * {@code seq}, the only members that depend on the order of the log. Prepared on request threads
 * by {@link EntryEncoder}, so the single writer only splices and hashes.
 */
public record PendingEntry(String workspace, String id, byte[] head, byte[] middle, byte[] tail) {
  public PendingEntry {
    if (id.getBytes(StandardCharsets.UTF_8).length > 255) throw new IllegalArgumentException("id longer than 255 bytes");
  }

  /** Bytes of the finished canonical entry, give or take the digits of {@code seq}. */
  int approximateSize() {
    return head.length + middle.length + tail.length + 100;
  }
}
