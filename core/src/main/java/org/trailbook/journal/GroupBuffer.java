package org.trailbook.journal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one group commit as {@link GroupCommitWriter} builds them: the group header, then one frame per entry
 * ({@link JournalFormat}). Reused from group to group; grows when a group needs more.
 */
final class GroupBuffer {
  private ByteBuffer buf = ByteBuffer.allocate(1 << 20);
  /** Where each frame starts within the group. */
  private final List<Integer> offsets = new ArrayList<>();

  /** Starts a group expected to take about {@code frameBytes} after its header. */
  void start(int frameBytes) {
    int size = JournalFormat.HEADER_BYTES + frameBytes;
    if (buf.capacity() < size) buf = ByteBuffer.allocate(Math.max(size, buf.capacity() * 2));
    buf.clear();
    buf.position(JournalFormat.HEADER_BYTES);
    offsets.clear();
  }

  void add(String workspace, String id, long seq, byte[] canonical) {
    int more = JournalFormat.frameLength(workspace, id, canonical.length);
    if (buf.remaining() < more) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more));
      buf.flip();
      bigger.put(buf);
      buf = bigger;
    }
    offsets.add(buf.position());
    JournalFormat.writeFrame(buf, workspace, id, seq, canonical);
  }

  /** Where the {@code i}th frame added starts within the group. */
  int offset(int i) {
    return offsets.get(i);
  }

  /** Writes the header of group {@code groupSeq} and returns the whole group, ready to be written. */
  ByteBuffer finish(long groupSeq) {
    int end = buf.position();
    buf.position(0);
    JournalFormat.writeHeader(buf, groupSeq, offsets.size(), end - JournalFormat.HEADER_BYTES);
    buf.position(end).flip();
    return buf;
  }
}
