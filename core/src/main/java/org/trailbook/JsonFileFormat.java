package org.trailbook;

import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The header of a JSON state file (docs/adr/0002-file-format-versions.md): two top-level fields,
 * first in the object, {@code "format":"trailbook.access","version":1}. A file without them was
 * written before headers existed and is version 0; its owner migrates it explicitly (and rewrites
 * it atomically with the header) when it reads it. A version this build does not read is refused
 * with {@link UnsupportedFormatException}; a {@code format} naming another format, or a missing or
 * malformed {@code version}, is a damaged header and is refused naming the file.
 */
public final class JsonFileFormat {
  /** A file as read: the version its header names (0 without one) and its content without the header fields. */
  public record Read(int version, JsonNode body) {}

  private final String name;
  private final int current;

  public JsonFileFormat(String name, int current) {
    if (current < 1) throw new IllegalArgumentException("version " + current);
    this.name = name;
    this.current = current;
  }

  public String name() {
    return name;
  }

  /** The version this build writes, and the newest it reads. */
  public int current() {
    return current;
  }

  /** {@code body}'s fields after this format's header fields, for writing. */
  public ObjectNode stamp(ObjectNode body) {
    return stamp(body, current);
  }

  /** With another version than the current one: only tests write those. */
  public ObjectNode stamp(ObjectNode body, int version) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("format", name).put("version", version);
    body.properties().forEach(e -> out.set(e.getKey(), e.getValue()));
    return out;
  }

  /** Parses {@code bytes}, the content of {@code file}, and checks its header. */
  public Read read(Path file, byte[] bytes) {
    JsonNode root = Json.MAPPER.readTree(bytes);
    if (!root.isObject() || !root.has("format")) return new Read(0, root);
    JsonNode format = root.get("format");
    if (!format.isString() || !format.asString().equals(name)) {
      throw new TrailbookException(file + " has a damaged format header: its \"format\" is " + format + ", not \"" + name + "\"");
    }
    JsonNode version = root.get("version");
    if (version == null || !version.isInt()) {
      throw new TrailbookException(file + " has a damaged format header: its \"version\" is " + (version == null ? "missing" : version)
          + ", not a whole number");
    }
    int v = version.asInt();
    if (v < 1 || v > current) throw new UnsupportedFormatException(file, name, v, current);
    ObjectNode body = ((ObjectNode) root).deepCopy();
    body.remove("format");
    body.remove("version");
    return new Read(v, body);
  }
}
