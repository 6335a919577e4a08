package org.trailbook.journal;

import org.trailbook.canonical.ByteSink;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.trailbook.canonical.Jcs;
import org.trailbook.merkle.Hash;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a normalized event into the canonical bytes of its journal entry (RFC 8785), in two
 * steps: {@link #prepare} serializes everything known on the request thread; {@link #complete}
 * splices in {@code prev_hash} and {@code seq} once the writer has fixed the entry's place.
 */
public final class EntryEncoder {
  static final String PREV_HASH = "prev_hash";
  static final String SEQ = "seq";
  private static final byte[] PREV_HASH_OPEN = "\"prev_hash\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEQ_OPEN = ",\"seq\":".getBytes(StandardCharsets.US_ASCII);

  private EntryEncoder() {}

  /**
   * Adds {@code workspace} and {@code received_at} to {@code event} (which the caller hands
   * over) and serializes it canonically around the two holes.
   */
  public static PendingEntry prepare(String workspace, String receivedAt, ObjectNode event) {
    if (event.has(PREV_HASH) || event.has(SEQ)) {
      throw new IllegalArgumentException("prev_hash and seq are assigned by the journal");
    }
    JsonNode id = event.get("id");
    if (id == null || !id.isString()) throw new IllegalArgumentException("a normalized event has an id");
    event.put("workspace", workspace);
    event.put("received_at", receivedAt);
    List<Map.Entry<String, JsonNode>> members = Jcs.sortedMembers(event);
    ByteSink head = new ByteSink(256);
    ByteSink middle = new ByteSink(256);
    ByteSink tail = new ByteSink(256);
    head.write('{');
    for (Map.Entry<String, JsonNode> m : members) {
      String name = m.getKey();
      if (name.compareTo(PREV_HASH) < 0) {
        Jcs.writeMember(name, m.getValue(), head);
        head.write(',');
      } else if (name.compareTo(SEQ) < 0) {
        middle.write(',');
        Jcs.writeMember(name, m.getValue(), middle);
      } else {
        tail.write(',');
        Jcs.writeMember(name, m.getValue(), tail);
      }
    }
    tail.write('}');
    return new PendingEntry(workspace, id.stringValue(), head.toByteArray(), middle.toByteArray(), tail.toByteArray());
  }

  /** The finished canonical bytes: the entry at {@code seq} whose predecessor hashed to {@code prevHash}. */
  public static byte[] complete(PendingEntry p, long seq, Hash prevHash) {
    byte[] seqDigits = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
    byte[] hex = prevHash.hex().getBytes(StandardCharsets.US_ASCII);
    int size = p.head().length + PREV_HASH_OPEN.length + hex.length + p.middle().length
        + 1 + SEQ_OPEN.length + seqDigits.length + p.tail().length;
    byte[] out = new byte[size];
    int at = 0;
    at = put(p.head(), out, at);
    at = put(PREV_HASH_OPEN, out, at);
    at = put(hex, out, at);
    out[at++] = '"';
    at = put(p.middle(), out, at); // each member there carries its leading comma
    at = put(SEQ_OPEN, out, at);
    at = put(seqDigits, out, at);
    put(p.tail(), out, at);
    return out;
  }

  private static int put(byte[] src, byte[] dst, int at) {
    System.arraycopy(src, 0, dst, at, src.length);
    return at + src.length;
  }
}
