package org.trailbook.archive;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.trailbook.Json;
import org.trailbook.merkle.Hash;
import org.trailbook.merkle.NodeId;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The archive file (docs/retention.md): one zstd frame holding NDJSON lines — a {@link Header}, then one line per seq
 * of {@code [from_seq, to_seq)} in seq order: the entry's canonical bytes (exactly as hashed), or, for an entry an
 * earlier purge removed already, a {@link #leafLine leaf line} with only its leaf hash — then a {@link Trailer} with
 * the signed checkpoint and the compact ranges left and right of the range, from which the checkpoint's root hash is
 * recomputed. Nothing else: no line after the trailer.
 */
public final class ArchiveFormat {
  public static final String FORMAT = "trailbook.archive";
  public static final int VERSION = 1;
  /** What an archive's file or object name ends with. */
  public static final String SUFFIX = ".tbarchive.zst";

  private ArchiveFormat() {}

  private static final String LEAF_START = "{\"leaf\":\"";

  /** The line standing for a seq whose entry was purged before the archive was written: {@code {"leaf":"<base64>"}}. */
  public static byte[] leafLine(Hash leafHash) {
    return (LEAF_START + leafHash.base64() + "\"}").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** The leaf hash of a {@link #leafLine leaf line}, or null if {@code line} is not one (an entry starts otherwise). */
  public static Hash leafOf(byte[] line) {
    if (!startsWith(line, LEAF_START)) return null;
    JsonNode o = readObject(line, "a leaf line");
    if (o.size() != 1 || !o.path("leaf").isString()) throw new IllegalArgumentException("a leaf line is {\"leaf\":\"<base64>\"} and nothing else");
    return strictHash(o.get("leaf").asString(), "a leaf line's hash");
  }

  /** A hash in canonical base64 only: another spelling of the same bytes would be an unnoticed change to the file. */
  static Hash strictHash(String base64, String what) {
    Hash h;
    try {
      h = Hash.fromBase64(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not the base64 of 32 bytes");
    }
    if (!h.base64().equals(base64)) throw new IllegalArgumentException(what + " '" + base64 + "' is not canonical base64");
    return h;
  }

  private static boolean startsWith(byte[] line, String start) {
    if (line.length < start.length()) return false;
    for (int i = 0; i < start.length(); i++) if (line[i] != start.charAt(i)) return false;
    return true;
  }

  /** The name of the archive of {@code [fromSeq, toSeq)}: zero-padded, so names sort in seq order. */
  public static String fileName(long fromSeq, long toSeq) {
    return String.format("%020d-%020d%s", fromSeq, toSeq, SUFFIX);
  }

  /**
   * The first line. {@code count} is the number of seqs, {@code to_seq - from_seq} (the trailer says how many are
   * whole entries); {@code treeSize} is the checkpoint's, repeated so a listing need not read to the end.
   */
  public record Header(String workspace, long fromSeq, long toSeq, long count, long treeSize, Instant createdAt) {
    public Header {
      if (workspace == null || workspace.isEmpty()) throw new IllegalArgumentException("header: workspace is missing");
      if (fromSeq < 0 || toSeq <= fromSeq) throw new IllegalArgumentException("header: range [" + fromSeq + ", " + toSeq + ") is empty or negative");
      if (count != toSeq - fromSeq) throw new IllegalArgumentException("header: count " + count + " is not to_seq - from_seq = " + (toSeq - fromSeq));
      if (treeSize < toSeq) throw new IllegalArgumentException("header: tree_size " + treeSize + " does not cover to_seq " + toSeq);
      if (createdAt == null) throw new IllegalArgumentException("header: created_at is missing");
    }

    public byte[] toLine() {
      ObjectNode o = Json.MAPPER.createObjectNode().put("format", FORMAT).put("version", VERSION).put("workspace", workspace)
          .put("from_seq", fromSeq).put("to_seq", toSeq).put("count", count).put("tree_size", treeSize).put("created_at", createdAt.toString());
      return Json.MAPPER.writeValueAsBytes(o);
    }

    /** Parses the first line; throws {@link IllegalArgumentException} naming what is wrong. */
    public static Header parse(byte[] line) {
      JsonNode o = readObject(line, "the first line (header)");
      if (!FORMAT.equals(o.path("format").asString(null))) throw new IllegalArgumentException("the first line is not a " + FORMAT + " header");
      if (o.path("version").asInt(-1) != VERSION) {
        throw new IllegalArgumentException("the header has version " + o.path("version") + "; this verifier reads version " + VERSION);
      }
      Instant created;
      try {
        created = Instant.parse(o.path("created_at").asString(""));
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("the header's created_at is not an RFC 3339 UTC time");
      }
      return new Header(o.path("workspace").asString(null), number(o, "from_seq"), number(o, "to_seq"), number(o, "count"),
          number(o, "tree_size"), created);
    }
  }

  /**
   * The last line: how many of the range's lines are whole entries ({@code entries}; the rest are leaf lines), the
   * signed checkpoint note (as {@code /v1/log/checkpoint} serves it) and the nodes around the range.
   */
  public record Trailer(long entries, String checkpoint, long treeSize, List<CompactRange.Node> left, List<CompactRange.Node> right) {
    public Trailer {
      left = List.copyOf(left);
      right = List.copyOf(right);
    }

    public byte[] toLine() {
      ObjectNode o = Json.MAPPER.createObjectNode().put("trailer", FORMAT).put("entries", entries).put("tree_size", treeSize).put("checkpoint", checkpoint);
      nodes(o.putArray("left"), left);
      nodes(o.putArray("right"), right);
      return Json.MAPPER.writeValueAsBytes(o);
    }

    /** True if {@code line} is a trailer (and not, say, an entry): its first member is {@code "trailer"}. */
    public static boolean is(byte[] line) {
      return startsWith(line, "{\"trailer\":");
    }

    public static Trailer parse(byte[] line) {
      JsonNode o = readObject(line, "the last line (trailer)");
      if (!FORMAT.equals(o.path("trailer").asString(null))) throw new IllegalArgumentException("the last line is not a " + FORMAT + " trailer");
      String note = o.path("checkpoint").asString(null);
      if (note == null) throw new IllegalArgumentException("the trailer has no checkpoint");
      return new Trailer(number(o, "entries"), note, number(o, "tree_size"), parseNodes(o.path("left"), "left"), parseNodes(o.path("right"), "right"));
    }

    private static void nodes(ArrayNode array, List<CompactRange.Node> nodes) {
      for (CompactRange.Node n : nodes) {
        array.addObject().put("level", n.id().level()).put("index", n.id().index()).put("hash", n.hash().base64());
      }
    }

    private static List<CompactRange.Node> parseNodes(JsonNode array, String side) {
      if (!array.isArray()) throw new IllegalArgumentException("the trailer's " + side + " is not an array");
      List<CompactRange.Node> out = new ArrayList<>(array.size());
      for (JsonNode n : array) {
        if (!n.path("level").canConvertToInt() || !n.path("index").canConvertToLong() || !n.path("hash").isString()) {
          throw new IllegalArgumentException("a node of the trailer's " + side + " is not {\"level\",\"index\",\"hash\"}");
        }
        out.add(new CompactRange.Node(new NodeId(n.get("level").asInt(), n.get("index").asLong()),
            strictHash(n.get("hash").asString(), "a hash of the trailer's " + side)));
      }
      return out;
    }
  }

  private static JsonNode readObject(byte[] line, String what) {
    JsonNode o;
    try {
      o = Json.MAPPER.readTree(line);
    } catch (tools.jackson.core.JacksonException e) {
      throw new IllegalArgumentException(what + " is not JSON: " + e.getOriginalMessage());
    }
    if (!o.isObject()) throw new IllegalArgumentException(what + " is not a JSON object");
    return o;
  }

  private static long number(JsonNode o, String field) {
    JsonNode v = o.path(field);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) throw new IllegalArgumentException("\"" + field + "\" is missing or not an integer");
    return v.asLong();
  }
}
