package org.trailbook.verify;

import org.trailbook.Json;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** The three top-level members every log entry carries, read with a streaming parser (no tree built). */
record EntryFields(long seq, String workspace, String prevHash) {
  static EntryFields of(byte[] canonical) {
    long seq = -1;
    String workspace = null;
    String prevHash = null;
    try (JsonParser p = Json.MAPPER.createParser(canonical)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("not a JSON object");
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "seq" -> {
            if (value != JsonToken.VALUE_NUMBER_INT) throw new IllegalArgumentException("seq is not an integer");
            seq = p.getLongValue();
          }
          case "workspace" -> workspace = value == JsonToken.VALUE_STRING ? p.getString() : null;
          case "prev_hash" -> prevHash = value == JsonToken.VALUE_STRING ? p.getString() : null;
          default -> p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) throw new IllegalArgumentException("trailing data after the object");
    }
    if (seq < 0 || workspace == null || prevHash == null) throw new IllegalArgumentException("seq, workspace or prev_hash is missing");
    return new EntryFields(seq, workspace, prevHash);
  }
}
