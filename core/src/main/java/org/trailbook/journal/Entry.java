package org.trailbook.journal;

import java.nio.charset.StandardCharsets;
import org.trailbook.Json;
import tools.jackson.databind.node.ObjectNode;

/** One stored entry of a workspace log: its place and its canonical bytes, exactly as hashed. */
public record Entry(String workspace, long seq, String id, byte[] canonical) {
  public ObjectNode json() {
    return (ObjectNode) Json.MAPPER.readTree(canonical);
  }

  public String text() {
    return new String(canonical, StandardCharsets.UTF_8);
  }
}
