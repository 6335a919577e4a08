package org.trailbook.retention;

import org.trailbook.Json;
import org.trailbook.journal.Entry;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * The two top-level members the purge decides on, {@code category} and {@code received_at}, read from an entry's
 * canonical bytes with a streaming parser: the horizon scan reads every entry above the horizon, and building a
 * JSON tree for each was most of a purge's CPU. Same values as {@code json.path(name).asString("")} on the tree
 * ("" when the member is missing).
 *
 * <p>Canonical JSON sorts its keys, so {@code category} comes before {@code received_at}: the read stops at the
 * first top-level key at or past {@code received_at}, usually well before the entry's payload ends. A member that
 * is not a string (never written by the server) falls back to the tree, so the answer stays the tree's.
 */
record AgeFields(String category, String receivedAt) {
  private static final String CATEGORY = "category";
  private static final String RECEIVED_AT = "received_at";

  static AgeFields of(Entry entry) {
    String category = "";
    String receivedAt = "";
    try (JsonParser p = Json.MAPPER.createParser(entry.canonical())) {
      if (p.nextToken() != JsonToken.START_OBJECT) return ofTree(entry.json());
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        if (name.compareTo(RECEIVED_AT) > 0) break; // sorted keys: neither member can follow
        JsonToken value = p.nextToken();
        boolean ours = name.equals(CATEGORY) || name.equals(RECEIVED_AT);
        if (ours && value != JsonToken.VALUE_STRING) return ofTree(entry.json());
        if (name.equals(CATEGORY)) category = p.getString();
        else if (name.equals(RECEIVED_AT)) {
          receivedAt = p.getString();
          break;
        } else p.skipChildren();
      }
    }
    return new AgeFields(category, receivedAt);
  }

  /** The tree's answer: what the scan read before the streaming read, kept for members of an unexpected type. */
  static AgeFields ofTree(JsonNode json) {
    return new AgeFields(json.path(CATEGORY).asString(""), json.path(RECEIVED_AT).asString(""));
  }
}
